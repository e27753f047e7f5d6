import { Scenario } from './scenario';

/**
 * The scenarios the CLI and the example run by name. Times assume the default cutover (4 steps, 5-minute bakes,
 * 10-second polls): step 2 bakes from about 5 to 10 minutes.
 */
export const STANDARD_SCENARIOS: Record<string, Scenario> = {
  'happy-path': {
    name: 'happy path: 25 → 50 → 75 → 100 %, then the database switchover and the bake on the new writer',
    expect: { status: 'SUCCEEDED', finalTargetWeight: 100, databaseWriter: ['target'] },
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
  // --- After the switchover (at about 22 minutes), the 10-minute bake on the new writer
  'switch-back': {
    name: 'healthy hosts alarm in the bake after the switchover: the database switches back (planned, RPO 0), then traffic',
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 1450 }],
    expect: { status: 'FAILED', finalTargetWeight: 0, databaseWriter: ['target', 'source'] },
  },
  'switch-back-fails': {
    name: 'healthy hosts alarm after the switchover, and the switch-back fails: loud, the writer and the traffic stay in the target region',
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 1450 }],
    switchBack: 'fails',
    expect: { status: 'FAILED', finalTargetWeight: 100, databaseWriter: ['target'] },
  },
  'stopped-after-switchover': {
    name: 'the cutover stopped by hand after the switchover: the recovery workflow switches the database back, then traffic',
    manualStopAt: 1400,
    expect: { status: 'ABORTED', finalTargetWeight: 0, databaseWriter: ['target', 'source'] },
  },

  // --- The on-premises path (DMS, single writer). The task was started ahead (runbook): the pre-check waits one
  // 2-minute poll for the CDC alarms, so step 2 bakes from about 7 to 12 minutes and the writer moves at ~28 minutes.
  'dms-happy-path': {
    name: 'DMS: in sync and validated; 25 → 100 %; the writer moves to Aurora once, unfenced as soon as the table statistics prove the drain; the reverse task starts after, from the drain\'s time',
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
  'dms-reverse-fails-after-unfence': {
    name: 'DMS: the reverse task fails to start after the unfence: the writer stays on Aurora (where the writes are), traffic stays, loudly; restart it from the CdcStartTime notified',
    dms: { initialStatus: 'running', reverseStart: 'fails' },
    expect: { status: 'FAILED', finalTargetWeight: 100, writer: ['FENCED', 'TARGET', 'TARGET'] },
  },
  'dms-failure-after-writer-moved': {
    name: 'DMS: healthy hosts alarm after the writer moved: writer back through the reverse task (once), then traffic',
    dms: { initialStatus: 'running' },
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 1800 }],
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: ['FENCED', 'TARGET', 'FENCED', 'SOURCE'] },
  },
  // --- The on-premises path with load-balancer shifting (every step one listener change, read back)
  'lb-not-in-effect': {
    name: 'load balancer: the second listener change never shows in DescribeListeners (something put the old action back): the step fails and rolls back',
    dms: { initialStatus: 'running' },
    loadBalancer: { unappliedChanges: [2] },
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: [] },
  },
  'lb-throttled-rollback': {
    name: 'load balancer: an alarm during step 2, and the rollback\'s ModifyListener throttled 9 times: retried, legacy 100 within seconds',
    dms: { initialStatus: 'running' },
    alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 600 }],
    loadBalancer: { throttlesFrom: { at: 600, count: 9 } },
    expect: { status: 'FAILED', finalTargetWeight: 0, writer: [] },
  },
};
