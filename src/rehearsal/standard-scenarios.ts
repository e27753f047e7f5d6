import { Scenario } from './scenario';

/**
 * The scenarios the CLI and the example run by name. Times assume the default cutover (4 steps, 5-minute bakes,
 * 10-second polls): step 2 bakes from about 5 to 10 minutes.
 */
export const STANDARD_SCENARIOS: Record<string, Scenario> = {
  'happy-path': {
    name: 'happy path: 25 → 50 → 75 → 100 %, then the database switchover',
    expect: { status: 'SUCCEEDED', finalTargetWeight: 100 },
  },
  'alarm-poll': {
    name: 'healthy hosts alarm during the bake of step 2 (seen by the poll)',
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 470 }],
    expect: { status: 'FAILED', finalTargetWeight: 0 },
  },
  'alarm-event': {
    name: 'healthy hosts alarm during the bake of step 2 (EventBridge event → alarm-rollback workflow)',
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 473 }],
    alarmEvents: [{ at: 473, alarm: 'HealthyHostsAlarm' }],
    expect: { status: 'ABORTED', finalTargetWeight: 0 },
  },
  'lag-spike': {
    name: 'replication lag above 1 s during the bake of step 3',
    alarms: [{ alarm: 'ReplicationLag', state: 'ALARM', from: 780 }],
    expect: { status: 'FAILED', finalTargetWeight: 0 },
  },
  'operator-abort': { name: 'operator aborts during step 2', operator: [{ at: 500, command: 'ABORT' }], expect: { status: 'FAILED', finalTargetWeight: 0 } },
  'switchover-fails': { name: 'the database switchover fails', switchover: 'fails', expect: { status: 'FAILED', finalTargetWeight: 0 } },
};
