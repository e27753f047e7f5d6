import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CutoverRecord } from './cutover-record';
import { InsufficientDataPolicy } from '../operator-command';
import { ITrafficShifter } from '../traffic-shifter';

/*
 * The engine's contracts with its plug-ins. The engine (this folder) builds the cutover, the alarm rollback and the
 * recovery workflows from these; a replication kind (gates/, switchovers/<kind>/) implements them; the public facades
 * (CutoverGate, DatabaseSwitchover) hand them over. Nothing here imports a facade or a plug-in.
 */

/**
 * A pre-check: a chain of states that ends in `next` when the condition holds and in a Fail state naming the
 * gate when it does not. No traffic has moved when a pre-check runs.
 * @internal
 */
export type PreCheckBuilder = (scope: Construct, next: sfn.IChainable) => sfn.IChainable;

/** What a gate contributes to the orchestrator: what `CutoverGate._bind()` returns. @internal */
export interface GateConfig {
  /** Alarms polled before the first step and throughout every bake; an ALARM rolls back. */
  readonly alarms: cloudwatch.IAlarm[];
  /** Checks run once, before any traffic moves. */
  readonly preChecks: PreCheckBuilder[];
  /**
   * Alarms watched only until the database writer moves (a one-way replication, the VPN to the old database):
   * polled from the start until the move, never after (what they watch is stopped or no longer needed on purpose),
   * and not on the event path.
   */
  readonly replicationAlarms?: cloudwatch.IAlarm[];
  /** The DMS task this gate checks, for pairing with a DMS writer move. */
  readonly replicationTaskArn?: string;
  /** Worst-case history events of the pre-checks, by the option that sets them. */
  readonly history?: HistoryShare[];
}

/**
 * A part of the cutover's worst-case execution history, and the option of the gate or switchover that sets it, so
 * that a configuration over the budget is refused naming what costs the most.
 * @internal
 */
export interface HistoryShare {
  /** The option, as the factory names it (`fullLoadTimeout`, `drainTimeout`); undefined for a fixed part. */
  readonly option?: string;
  /** Worst-case history events. */
  readonly events: number;
  /** The option's value, for the message (`2 hours`). */
  readonly value?: string;
}

/** A gate as a plug-in provides it. @internal */
export interface GatePlugin {
  /** What the gate checks, for messages and the timeline. */
  readonly description: string;
  bind(): GateConfig;
}

/**
 * What a switchover contributes to the orchestrator, as a plug-in provides it and `DatabaseSwitchover._bind()`
 * returns it: the switchover states and, optionally, what the engine's rollback, pre-checks and alarm-rollback
 * workflow must do for it.
 * @internal
 */
export interface SwitchoverConfig {
  /** What the switchover does, for messages. */
  readonly description: string;
  /** The DMS task this switchover moves the writer off, when it is a DMS one (its gate must be there too). */
  readonly replicationTaskArn?: string;
  /** The bake on the new writer, which must outlast the alarms it bakes on like every other bake. */
  readonly postBake?: PostBake;
  /** The switchover states, ending in `next`. */
  bind(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable;
  /**
   * States that put the writer back on the source, run by every rollback before traffic moves back; undefined when
   * the switchover has nothing to undo automatically.
   */
  bindRollback?(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable | undefined;
  /** A pre-check before any traffic moves, ending in `next`. */
  bindPreCheck?(ctx: BuildContext, next: sfn.IChainable): sfn.IChainable;
  /**
   * Worst-case history events of the switchover in the cutover's execution, by option, for the execution-history
   * budget (a bake after the move costs `BAKE_PARENT_EVENTS` (state-machine/bake.ts), whatever its length).
   */
  history(): HistoryShare[];
}

/** The bake after the database moved, as the rule on bakes reads it. @internal */
export interface PostBake {
  /** The option that sets it, as the factory names it (`postMoveBake`). */
  readonly option: string;
  readonly duration: Duration;
  /** The alarms it bakes on, of the cutover's alarms (`alarms`, all of them) and those watched until the writer moves. */
  alarms(alarms: cloudwatch.IAlarm[], replicationAlarms: cloudwatch.IAlarm[]): cloudwatch.IAlarm[];
}

/** Everything the state builders share. @internal */
export interface BuildContext {
  readonly scope: Construct;
  readonly shifter: ITrafficShifter;
  readonly alarms: cloudwatch.IAlarm[];
  readonly insufficientData: InsufficientDataPolicy;
  readonly pollInterval: Duration;
  readonly topic: sns.ITopic;
  readonly bucket: s3.IBucket;
  readonly control: ssm.IStringParameter;
  /** PAUSE polls allowed over the whole cutover before it rolls back (the execution history is finite). */
  readonly pausePolls: number;
  /** The value of the `Cutover` dimension of the split metrics. */
  readonly cutoverName: string;
  /**
   * Gating alarms that watch a one-way replication (DMS): polled before the writer moves, never after (the
   * replication they watch is stopped on purpose when the writer moves), and not on the event path.
   */
  readonly replicationAlarms: cloudwatch.IAlarm[];
  /** The database phase, whose rollback (the writer moving back) runs before traffic moves back. */
  readonly switchover?: SwitchoverConfig;
  /** The cutover record every workflow claims before it moves traffic or the writer. */
  readonly record: CutoverRecord;
  /** The Bake state machine every bake runs as a child execution of; undefined while it is being built. */
  readonly bakeStateMachine?: sfn.IStateMachine;
}
