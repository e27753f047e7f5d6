import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CutoverSteps } from './cutover-steps';
import type { MigrationOrchestratorProps } from './migration-orchestrator';
import { PropsValidator } from '../private/validation';

/** @internal */
export function validateOrchestratorProps(v: PropsValidator, props: MigrationOrchestratorProps, steps: CutoverSteps, alarmCount: number): void {
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
  if (props.logRetention !== undefined) {
    v.check(props.logRetention === RetentionDays.INFINITE || props.logRetention >= RetentionDays.ONE_YEAR, 'logRetention', 'must keep logs at least one year (PCI DSS 10.5.1)', props.logRetention);
  }
}
