import { IConstruct } from 'constructs';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';

const REASON =
  'PaymentMigration `removalPolicy: RemovalPolicy.DESTROY` was set: the teardown opt-out of a non-production stage ' +
  '(rehearsal, CI, integration test) that holds no production payment data and must be deleted completely. Without ' +
  'it, deletion protection is on.';

/**
 * What the teardown opt-out turns off on purpose, acknowledged where it happens: deletion protection of the
 * database clusters and of the load balancer. Only the opt-out acknowledges it: a user who turns deletion
 * protection off otherwise still sees the finding.
 * @internal
 */
export function acknowledgeTeardown(databases: IConstruct[], loadBalancers: IConstruct[]): void {
  for (const database of databases) {
    acknowledge(database, { id: `${NagPackPrefix.AWS_SOLUTIONS}-RDS10`, reason: REASON });
    acknowledgeInPacks(database, [NagPackPrefix.NIST_800_53_R5], 'RDSInstanceDeletionProtectionEnabled', REASON);
  }
  for (const loadBalancer of loadBalancers) {
    acknowledgeInPacks(loadBalancer, [NagPackPrefix.NIST_800_53_R5], 'ELBDeletionProtectionEnabled', REASON);
  }
}
