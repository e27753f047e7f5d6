import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The CloudFormation `Metadata` key that names which workflow of a MigrationOrchestrator a state machine resource is.
 * The rehearsal and the simulation find the state machines of a synthesized template by it (src/rehearsal/
 * resolve-template.ts), not by their `Comment` text, which is written for people and may change.
 */
export const WORKFLOW_METADATA_KEY = 'cdk-payment-migration:workflow';

/** The orchestrator's workflows: the cutover, its bakes (child executions), the alarm rollback, the recovery. */
export type WorkflowKind = 'cutover' | 'alarm-rollback' | 'recovery' | 'bake';

/** Marks a state machine's CloudFormation resource with the workflow it is. */
export function markWorkflow(machine: IConstruct, workflow: WorkflowKind): void {
  (machine.node.defaultChild as CfnResource).addMetadata(WORKFLOW_METADATA_KEY, workflow);
}
