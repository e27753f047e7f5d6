import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The cdk-nag packs this library is held to, by rule-id prefix.
 */
export const NagPackPrefix = {
  AWS_SOLUTIONS: 'AwsSolutions',
  PCI_DSS_321: 'PCI.DSS.321',
  NIST_800_53_R5: 'NIST.800.53.R5',
} as const;

/** One acknowledgement: the exact (granular where the rule is) rule id and why it cannot be fixed. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges nag findings on the construct that causes them, so consumers see a clean report.
 * One id per entry; the reason must name the control or the compensating control.
 */
export function acknowledge(scope: IConstruct, ...acks: NagAcknowledgement[]): void {
  for (const ack of acks) {
    if (ack.reason.trim().length < 20) {
      throw new Error(`Acknowledgement of ${ack.id} at ${scope.node.path} needs a specific reason`);
    }
    if (ack.id.split('::').length > 2) {
      // Granular ids such as `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…]` hold more than one `::`, which
      // `Validations.acknowledge` reserves for its prefix and rejects. Record the acknowledgement in the same
      // public metadata entry it writes (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`), which cdk-nag reads.
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [ack.id]: ack.reason });
    } else {
      Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }
}

/**
 * Acknowledges the same rule in several packs where the rule name is shared
 * (PCI DSS 3.2.1 and NIST 800-53 r5 reuse names such as `VPCNoUnrestrictedRouteToIGW`).
 */
export function acknowledgeInPacks(
  scope: IConstruct,
  prefixes: ReadonlyArray<string>,
  rule: string,
  reason: string,
): void {
  acknowledge(scope, ...prefixes.map((p) => ({ id: `${p}-${rule}`, reason })));
}

/**
 * An alarm with no actions is a finding of NIST 800-53 r5 (CloudWatchAlarmAction). The orchestrator acknowledges it
 * on the alarms it gates, and only those: it polls their state before the first shift and during every bake, which
 * is what the acknowledgement says. Alarms nothing reads get no acknowledgement: give them `alarmActions` (or use
 * `PaymentMigration`, which sends every alarm to its topic).
 */
export function acknowledgeGatedAlarm(alarm: IConstruct, gate: IConstruct): void {
  acknowledgeInPacks(
    alarm,
    [NagPackPrefix.NIST_800_53_R5],
    'CloudWatchAlarmAction',
    `This alarm gates the cutover ${gate.node.path}: its state is read before the first traffic shift and at every ` +
      'poll of every bake, and an ALARM rolls the cutover back. Notification actions are added with `alarmActions`.',
  );
}
