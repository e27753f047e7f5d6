import { Duration } from 'aws-cdk-lib';
import { CutoverSteps } from './cutover-steps';
import type { SwitchoverPlugin } from './engine/contracts';
import type { MigrationOrchestratorProps } from './migration-orchestrator-props';
import { checkLogRetention, PropsValidator } from '../private/validation';

/** A Step Functions standard execution keeps at most this many history events; past it, it fails uncatchably. */
const HISTORY_LIMIT = 25_000;
/** History events, by what the cutover does (state entered/exited, plus scheduled/started/succeeded for tasks). */
const EVENTS = {
  bakePoll: 20, // wait, describeAlarms, evaluate, getParameter, choice, count down, choice
  shiftWorstCase: 3 + 60 * 11, // change batch, then up to 60 INSYNC polls (WeightedCutover: 5 min at 5 s)
  stepOverhead: 25, // split, notify, checkpoint, bake start
  fixed: 60, // lock, notifications, pre-checks, completion
};
/** Kept free for the rollback: 20 attempts of a worst-case shift. */
const ROLLBACK_RESERVE = 20 * (EVENTS.shiftWorstCase + 6);

/**
 * The worst-case history of a cutover that does not roll back. It must leave room for the rollback, or a long
 * cutover could die mid-way with traffic split. @internal
 */
export function worstCaseHistoryEvents(
  props: MigrationOrchestratorProps,
  steps: CutoverSteps,
  preCheckEvents: number = 0,
  switchover?: SwitchoverPlugin,
): number {
  const poll = Math.max(1, (props.pollInterval ?? Duration.seconds(10)).toSeconds({ integral: false }));
  const bake = props.bakeTime ?? Duration.minutes(5);
  const bakePolls = steps.steps.reduce((n, s) => n + Math.ceil((s.bakeTime ?? bake).toSeconds() / poll), 0);
  const pausePolls = Math.floor((props.maxPause ?? Duration.minutes(15)).toSeconds() / poll);
  const switchoverEvents = switchover ? switchover.historyEvents(props.pollInterval ?? Duration.seconds(10)) : 0;
  return EVENTS.fixed + preCheckEvents + steps.steps.length * (EVENTS.shiftWorstCase + EVENTS.stepOverhead) +
    (bakePolls + pausePolls) * EVENTS.bakePoll + switchoverEvents;
}

/** @internal */
export function validateOrchestratorProps(
  v: PropsValidator,
  props: MigrationOrchestratorProps,
  steps: CutoverSteps,
  alarmCount: number,
  preCheckEvents: number = 0,
  switchover?: SwitchoverPlugin,
): void {
  for (const rule of steps.validate()) {
    v.fail('steps', rule, `${steps.description} = [${steps.steps.map((s) => s.targetPercent).join(', ')}]`);
  }
  v.check(alarmCount > 0, 'gates', 'must include at least one alarm (CutoverGate.alarm, CutoverGate.auroraGlobalSecondary, …): without one nothing can roll a cutover back', props.gates.map((g) => g.description));
  v.check(alarmCount <= 100, 'gates', 'must carry at most 100 alarms (one DescribeAlarms call)', alarmCount);

  const bake = props.bakeTime ?? Duration.minutes(5);
  const poll = props.pollInterval ?? Duration.seconds(10);
  v.check(bake.toSeconds() <= Duration.days(365).toSeconds(), 'bakeTime', 'must be at most a year (the Step Functions Wait limit)', bake.toHumanString());
  const pollMs = poll.toMilliseconds();
  v.check(pollMs >= 1000 && pollMs % 1000 === 0, 'pollInterval', 'must be a whole number of seconds, at least 1', poll.toHumanString());
  for (const step of steps.steps) {
    const b = step.bakeTime ?? bake;
    v.check(b.toMilliseconds() === 0 || b.toMilliseconds() >= pollMs, 'steps', `must bake at least one poll interval (${poll.toHumanString()}) or not at all`, `${step.targetPercent}%: ${b.toHumanString()}`);
  }
  if (pollMs >= 1000) {
    const events = worstCaseHistoryEvents(props, steps, preCheckEvents, switchover);
    v.check(
      events <= HISTORY_LIMIT - ROLLBACK_RESERVE,
      'bakeTime',
      `with \`pollInterval\`, \`steps\` and \`maxPause\` must fit one execution's history: the worst case needs ~${events} ` +
        `events, and ${HISTORY_LIMIT - ROLLBACK_RESERVE} of the ${HISTORY_LIMIT} a Step Functions execution holds are left once the ` +
        'rollback\'s reserve is kept. Poll less often, bake less, or allow less pause',
      `${bake.toHumanString()} x ${steps.steps.length} steps at ${poll.toHumanString()}`,
    );
  }
  if (props.approvalTimeout) {
    const t = props.approvalTimeout.toSeconds();
    v.check(t >= 60 && t <= Duration.days(365).toSeconds(), 'approvalTimeout', 'must be between 1 minute and a year', props.approvalTimeout.toHumanString());
  }
  if (props.approveBeforeSwitchover && !props.switchover) {
    v.fail('approveBeforeSwitchover', 'needs `switchover`', props.approveBeforeSwitchover);
  }
  if (props.checkpointRetention) {
    v.check(props.checkpointRetention.toDays() >= 365, 'checkpointRetention', 'must keep checkpoints at least a year (PCI DSS 10.5.1)', props.checkpointRetention.toHumanString());
  }
  checkLogRetention(v, 'logRetention', props.logRetention, 'logs');
}
