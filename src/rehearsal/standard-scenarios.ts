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

  // --- The on-premises path (DMS, single writer). The task was started ahead (runbook): the pre-check waits one
  // 2-minute poll for the CDC alarms, so step 2 bakes from about 7 to 12 minutes and the writer moves at ~28 minutes.
  'dms-happy-path': {
    name: 'DMS: in sync and validated; 25 → 100 %; the writer moves to Aurora once, after the fence drained',
    dms: { initialStatus: 'running' },
    expect: { status: 'SUCCEEDED', finalTargetWeight: 100, writer: ['FENCED', 'TARGET'] },
  },
  'dms-cdc-lag': {
    name: 'DMS: CDC latency never comes down: no traffic moves, the writer stays on premises',
    dms: { initialStatus: 'running' },
    alarms: [{ alarm: 'CdcLatencyTarget', state: 'ALARM', from: 0 }],
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: [] },
  },
  'dms-validation-failure': {
    name: 'DMS: a table failed validation: no traffic moves, the writer stays on premises',
    dms: {
      initialStatus: 'running',
      tables: [
        { SchemaName: 'payments', TableName: 'payments', TableState: 'Table completed', ValidationState: 'Validated', ValidationFailedRecords: 0, ValidationSuspendedRecords: 0 },
        { SchemaName: 'payments', TableName: 'ledger', TableState: 'Table completed', ValidationState: 'Mismatched records', ValidationFailedRecords: 3, ValidationSuspendedRecords: 0 },
      ],
    },
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: [] },
  },
  'dms-alarm-mid-shift': {
    name: 'DMS: healthy hosts alarm during step 2: traffic back to the legacy side; the writer never moved',
    dms: { initialStatus: 'running' },
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 600 }],
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: [] },
  },
  'dms-stopped-by-hand': {
    name: 'DMS: the cutover stopped by hand after the writer moved: the recovery workflow moves the writer back, then traffic',
    dms: { initialStatus: 'running' },
    manualStopAt: 1750,
    expect: { status: 'ABORTED', finalTargetWeight: 0, writer: ['FENCED', 'TARGET', 'FENCED', 'SOURCE'] },
  },
  'dms-failure-after-writer-moved': {
    name: 'DMS: healthy hosts alarm after the writer moved: writer back through the reverse task (once), then traffic',
    dms: { initialStatus: 'running' },
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 1800 }],
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: ['FENCED', 'TARGET', 'FENCED', 'SOURCE'] },
  },
};
