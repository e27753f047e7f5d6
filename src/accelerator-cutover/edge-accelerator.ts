import { CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { Construct } from 'constructs';
import { AcceleratorCutoverProps } from './accelerator-cutover';
import { GLOBAL_ACCELERATOR_API_REGION } from './global-accelerator-call';
import { isRegionName, known, propsValidator } from '../private/validation';

/**
 * Properties for {@link EdgeAccelerator}.
 */
export interface EdgeAcceleratorProps {
  /** The source Region, e.g. `us-east-1`: its endpoint group starts with a traffic dial of 100. */
  readonly sourceRegion: string;

  /** The target Region, e.g. `eu-west-1`: its endpoint group starts with a traffic dial of 0. */
  readonly targetRegion: string;

  /** The ARN of the source Region's Application Load Balancer (internet-facing or internal), in `sourceRegion`. */
  readonly sourceLoadBalancerArn: string;

  /** The ARN of the target Region's Application Load Balancer (internet-facing or internal), in `targetRegion`. */
  readonly targetLoadBalancerArn: string;

  /**
   * Client affinity of the TCP 443 listener. `SOURCE_IP` keeps every connection of one client IP on one endpoint
   * group, so a dial change moves whole clients rather than connections.
   *
   * @default ga.ClientAffinity.NONE
   */
  readonly clientAffinity?: ga.ClientAffinity;

  /**
   * The HTTPS health-check path of both endpoint groups. Global Accelerator applies endpoint-group health checks to
   * EC2 and Elastic IP endpoints; an ALB endpoint's health is that of its target groups.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;

  /**
   * The accelerator's name.
   *
   * @default - generated from the construct path
   */
  readonly acceleratorName?: string;

  /**
   * Create CloudFormation outputs with the accelerator's DNS name and the three ARNs an `AcceleratorCutover` in the
   * orchestrator's stack (another Region) needs.
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}

const ALB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;

/**
 * A standard accelerator in front of the ALBs of two Regions, for {@link AcceleratorCutover}: a TCP listener on 443,
 * one endpoint group per Region with its ALB (client IP preserved), the source group's traffic dial at 100 and the
 * target's at 0, HTTPS health checks.
 *
 * Global Accelerator's CloudFormation resources are managed through us-west-2: put this construct in a us-west-2
 * stack (it refuses any other known Region). TLS is not terminated here: the listener is TCP, and the ALBs terminate
 * TLS as before.
 *
 * > **N.B.:** the dials in the template are the initial ones (100/0). Once a cutover has moved them, a deployment
 * > that changes an endpoint group (its health checks, its endpoint, its dial) writes the template's dial back to it,
 * > moving traffic. Do not deploy this stack while a cutover runs or after it until the template's dials match the
 * > live ones.
 *
 * @example
 * declare const app: App;
 * const edge = new EdgeAccelerator(new Stack(app, 'Edge', { env: { region: 'us-west-2' } }), 'Edge', {
 *   sourceRegion: 'us-east-1',
 *   targetRegion: 'eu-west-1',
 *   sourceLoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/pay/0123456789abcdef',
 *   targetLoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/pay/fedcba9876543210',
 * });
 * const shifter = new AcceleratorCutover(new Stack(app, 'Orchestration', { env: { region: 'eu-west-1' } }), 'Shifter', {
 *   acceleratorArn: 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh', // from the Edge stack's outputs
 *   sourceEndpointGroupArn: '…',
 *   targetEndpointGroupArn: '…',
 * });
 */
export class EdgeAccelerator extends Construct {
  /** The accelerator. */
  public readonly accelerator: ga.Accelerator;
  /** The TCP 443 listener. */
  public readonly listener: ga.Listener;
  /** The source Region's endpoint group (dial 100 at creation). */
  public readonly sourceEndpointGroup: ga.EndpointGroup;
  /** The target Region's endpoint group (dial 0 at creation). */
  public readonly targetEndpointGroup: ga.EndpointGroup;
  /** The accelerator's ARN. */
  public readonly acceleratorArn: string;
  /** The accelerator's DNS name: point the payment host names at it (CNAME or alias). */
  public readonly dnsName: string;
  /** The source endpoint group's ARN. */
  public readonly sourceEndpointGroupArn: string;
  /** The target endpoint group's ARN. */
  public readonly targetEndpointGroupArn: string;

  constructor(scope: Construct, id: string, props: EdgeAcceleratorProps) {
    super(scope, id);
    const v = propsValidator(this, 'EdgeAccelerator', props);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region)) {
      v.check(region === GLOBAL_ACCELERATOR_API_REGION, 'stack region',
        `must be ${GLOBAL_ACCELERATOR_API_REGION}: Global Accelerator is created, updated and read only through the US West (Oregon) Region`, region);
    }
    for (const side of ['source', 'target'] as const) {
      const sideRegion = props[`${side}Region`];
      const arn = props[`${side}LoadBalancerArn`];
      if (known(sideRegion)) v.check(isRegionName(sideRegion), `${side}Region`, 'must be a Region name such as eu-west-1', sideRegion);
      if (known(arn)) {
        const m = ALB_ARN.exec(arn);
        v.check(m !== null, `${side}LoadBalancerArn`, 'must be an Application Load Balancer ARN (…:loadbalancer/app/<name>/<id>)', arn);
        if (m && known(sideRegion)) v.check(m[1] === sideRegion, `${side}LoadBalancerArn`, `must be in \`${side}Region\` (${sideRegion})`, arn);
      }
    }
    if (known(props.sourceRegion) && known(props.targetRegion)) {
      v.check(props.sourceRegion !== props.targetRegion, 'targetRegion',
        'must differ from `sourceRegion` (a listener has one endpoint group per Region; the dials move traffic between Regions)', props.targetRegion);
    }
    const healthCheckPath = props.healthCheckPath ?? '/health';
    if (known(healthCheckPath)) v.check(healthCheckPath.startsWith('/'), 'healthCheckPath', 'must start with /', healthCheckPath);
    v.throwIfInvalid();

    this.accelerator = new ga.Accelerator(this, 'Accelerator', { acceleratorName: props.acceleratorName });
    this.listener = this.accelerator.addListener('Https', {
      portRanges: [{ fromPort: 443 }],
      protocol: ga.ConnectionProtocol.TCP,
      clientAffinity: props.clientAffinity ?? ga.ClientAffinity.NONE,
    });
    const group = (groupId: string, groupRegion: string, loadBalancerArn: string, dial: number) =>
      this.listener.addEndpointGroup(groupId, {
        region: groupRegion,
        trafficDialPercentage: dial,
        healthCheckProtocol: ga.HealthCheckProtocol.HTTPS,
        healthCheckPort: 443,
        healthCheckPath,
        healthCheckInterval: Duration.seconds(10),
        healthCheckThreshold: 3,
        endpoints: [new ga.RawEndpoint({ endpointId: loadBalancerArn, region: groupRegion, preserveClientIp: true })],
      });
    this.sourceEndpointGroup = group('Source', props.sourceRegion, props.sourceLoadBalancerArn, 100);
    this.targetEndpointGroup = group('Target', props.targetRegion, props.targetLoadBalancerArn, 0);

    this.acceleratorArn = this.accelerator.acceleratorArn;
    this.dnsName = this.accelerator.dnsName;
    this.sourceEndpointGroupArn = this.sourceEndpointGroup.endpointGroupArn;
    this.targetEndpointGroupArn = this.targetEndpointGroup.endpointGroupArn;

    if (props.createOutputs ?? true) {
      new CfnOutput(this, 'DnsName', { value: this.dnsName, description: `DNS name of the accelerator of ${this.node.path}` });
      new CfnOutput(this, 'AcceleratorArn', { value: this.acceleratorArn, description: `acceleratorArn of an AcceleratorCutover for ${this.node.path}` });
      new CfnOutput(this, 'SourceEndpointGroupArn', { value: this.sourceEndpointGroupArn, description: `sourceEndpointGroupArn of an AcceleratorCutover for ${this.node.path}` });
      new CfnOutput(this, 'TargetEndpointGroupArn', { value: this.targetEndpointGroupArn, description: `targetEndpointGroupArn of an AcceleratorCutover for ${this.node.path}` });
    }
  }

  /** The props of an {@link AcceleratorCutover} that shifts traffic on this accelerator (tokens of this stack). */
  public cutoverProps(): AcceleratorCutoverProps {
    return {
      acceleratorArn: this.acceleratorArn,
      sourceEndpointGroupArn: this.sourceEndpointGroupArn,
      targetEndpointGroupArn: this.targetEndpointGroupArn,
    };
  }
}
