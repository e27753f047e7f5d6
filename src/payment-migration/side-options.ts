import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { MigrationOrchestratorOptions } from '../migration-orchestrator/migration-orchestrator-props';
import { PaymentFleetOptions } from '../payment-fleet/payment-fleet-props';

/** The payment fleet of the side being built: `PaymentFleet`'s options and the listener's certificate. */
export interface FleetOptions extends PaymentFleetOptions {
  /** The listener certificate, in the side's region; it must cover every record name. */
  readonly certificate: acm.ICertificate;
}

/** The cutover: `MigrationOrchestrator`'s options, and whether it ends with the database phase. */
export interface CutoverOptions extends MigrationOrchestratorOptions {
  /**
   * End with the database phase: the Aurora switchover (planned, RPO 0) on the cross-region path, the single-writer
   * move to Aurora on the datacenter path.
   *
   * @default true
   */
  readonly switchover?: boolean;
}
