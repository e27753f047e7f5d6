import { Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { CutoverEndpoint, CutoverEndpointKind } from './cutover-endpoint';
import type { CutoverHealthCheckOptions } from './weighted-cutover-props';

/** The health checks of one side, and the one whose id goes on the side's records. */
export interface SideHealthChecks {
  /** Every health check created for the side. */
  readonly all: route53.CfnHealthCheck[];
  /** The check attached to the side's records (the only check, or a CALCULATED check of all of them). */
  readonly attached?: route53.CfnHealthCheck;
}

/** The region of an alarm: from its ARN when known, else the stack's. */
function alarmRegion(alarm: cloudwatch.IAlarm): string {
  if (!Token.isUnresolved(alarm.alarmArn)) {
    const region = Arn.split(alarm.alarmArn, ArnFormat.COLON_RESOURCE_NAME).region;
    if (region) return region;
  }
  return alarm.env.region ?? Stack.of(alarm).region;
}

/**
 * Creates the health checks of one side:
 * - HTTPS checks of the endpoint (the ALB's or legacy DNS name; one per IP address for an IP endpoint), unless
 *   `options.enabled` is false;
 * - a CLOUDWATCH_METRIC check of `alarm` when given (the data-plane rollback: when it alarms, Route 53 stops
 *   answering with this side without any API call);
 * - when there is more than one, a CALCULATED check healthy only when all of them are: a record carries one
 *   health check, and Route 53 cannot drop a single dead IP from a non-alias record.
 * @internal
 */
export function createSideHealthChecks(
  scope: Construct,
  side: string,
  endpoint: CutoverEndpoint,
  options: CutoverHealthCheckOptions,
  alarm: cloudwatch.IAlarm | undefined,
  hostHeader: string,
): SideHealthChecks {
  const c = endpoint._config();
  const children: route53.CfnHealthCheck[] = [];
  const tag = (what: string) => [{ key: 'Name', value: `${scope.node.path}/${side} ${what}` }];

  if (options.enabled ?? true) {
    const common = {
      type: 'HTTPS',
      port: options.port ?? 443,
      resourcePath: options.path ?? '/health',
      requestInterval: (options.interval ?? Duration.seconds(30)).toSeconds(),
      failureThreshold: options.failureThreshold ?? 3,
      enableSni: true,
    };
    if (c.kind === CutoverEndpointKind.IP_ADDRESSES) {
      (c.ipAddresses ?? []).forEach((ip, i) => {
        children.push(
          new route53.CfnHealthCheck(scope, `${side}Https${i}`, {
            healthCheckConfig: { ...common, ipAddress: ip, fullyQualifiedDomainName: hostHeader },
            healthCheckTags: tag(`HTTPS ${ip}`),
          }),
        );
      });
    } else {
      children.push(
        new route53.CfnHealthCheck(scope, `${side}Https`, {
          healthCheckConfig: { ...common, fullyQualifiedDomainName: c.dnsName },
          healthCheckTags: tag('HTTPS'),
        }),
      );
    }
  }

  if (alarm) {
    children.push(
      new route53.CfnHealthCheck(scope, `${side}Alarm`, {
        healthCheckConfig: {
          type: 'CLOUDWATCH_METRIC',
          alarmIdentifier: { name: alarm.alarmName, region: alarmRegion(alarm) },
          // Keep the last state when the alarm lacks data, rather than flapping the side in or out.
          insufficientDataHealthStatus: 'LastKnownStatus',
        },
        healthCheckTags: tag('alarm'),
      }),
    );
  }

  if (children.length <= 1) {
    return { all: children, attached: children[0] };
  }
  const calculated = new route53.CfnHealthCheck(scope, `${side}Health`, {
    healthCheckConfig: {
      type: 'CALCULATED',
      childHealthChecks: children.map((h) => h.attrHealthCheckId),
      healthThreshold: children.length,
    },
    healthCheckTags: tag('all checks'),
  });
  return { all: [...children, calculated], attached: calculated };
}
