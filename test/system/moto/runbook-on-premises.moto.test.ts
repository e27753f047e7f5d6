/*
 * The on-premises migration's runbook (payments-aws-production, us-east-1: DMS and the single-writer move) run with
 * the real awscli against moto: every `aws …` command of the synthesized runbook outputs, resolved to resources
 * seeded in moto, run as an operator would paste it, and checked in moto to do what the runbook text says.
 */
import { isUsageError, regionProblems, regionsOf, requestOf, seedAws, shell } from './runbook';
import { RunbookWorld } from './runbook-world';
import { buildOnPremisesMigration } from '../../../examples/on-premises/app';

const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';
const STACK = 'payments-aws-production';
const WRITER = '/payments-aws-production/database/writer';

const world = RunbookWorld.open(REGION, STACK, (app) => buildOnPremisesMigration(app).production, (w) => {
  // The writer parameter, by the template's own PutParameter call (its create-only custom resource; see
  // writer-parameter.moto.test.ts for that resource against moto)
  const writer = Object.values(w.template.Resources).find((r) => r.Type === 'Custom::DatabaseWriterParameter')!.Properties!;
  seedAws(w.moto, REGION, ['ssm', 'put-parameter', '--cli-input-json', JSON.stringify(JSON.parse(writer.Create).parameters)]);
});
const { run, command, zoneId, weights } = world;

const taskArn = (logicalId: RegExp) => world.refs[Object.keys(world.template.Resources).find((k) => logicalId.test(k) && world.template.Resources[k].Type === 'AWS::DMS::ReplicationTask')!];
const taskStatus = (arn: string) => seedAws(world.moto, REGION, ['dms', 'describe-replication-tasks', '--filters', `Name=replication-task-arn,Values=${arn}`]).ReplicationTasks[0].Status;
const writerValue = () => seedAws(world.moto, REGION, ['ssm', 'get-parameter', '--name', WRITER]).Parameter.Value;

world.testContents(['Cutover', 'ManualRollback', 'Recovery', 'Replication', 'Writer'], [
  'dms start-replication-task',
  'dms describe-replication-tasks',
  'dms describe-table-statistics',
  'dms start-replication-task',
  'stepfunctions start-execution',
  'ssm put-parameter', 'ssm put-parameter', 'ssm put-parameter',
  'ssm get-parameter',
  'dms describe-replication-tasks',
  'ssm put-parameter', 'ssm put-parameter',
  'dms stop-replication-task',
  'dms start-replication-task',
  'dynamodb get-item',
  'stepfunctions describe-execution',
  'stepfunctions start-execution',
  'route53 change-resource-record-sets',
]);

test('replication: start the forward task, watch it; describe-table-statistics (not in moto 5.2.1) parses and reaches the API for the task in us-east-1', () => {
  const forward = taskArn(/ReplicationTask[0-9A-F]{8}$/);
  const start = run(command('Replication', /--start-replication-task-type start-replication /));
  expect(start.status).toBe(0);
  expect(JSON.parse(start.stdout).ReplicationTask).toMatchObject({ ReplicationTaskArn: forward });
  expect(taskStatus(forward)).toMatch(/^(starting|running)$/);

  const watch = run(command('Replication', /describe-replication-tasks/));
  expect(watch.status).toBe(0);
  expect(JSON.parse(watch.stdout)[0]).toMatch(/^(starting|running)$/);

  const stats = run(`${command('Replication', /describe-table-statistics/)} --debug`, { AWS_MAX_ATTEMPTS: '1' });
  expect(isUsageError(stats)).toBe(false);
  const request = requestOf(stats, 'DescribeTableStatistics');
  expect(request?.params).toContain(`{"ReplicationTaskArn": "${forward}"}`);
  expect(request?.clientRegion).toBe(REGION);
});

test('cutover: the execution starts; pause, resume and abort (one line of the runbook) each set the control parameter', () => {
  const start = run(command('Cutover', /start-execution/));
  expect(start.status).toBe(0);
  expect(JSON.parse(start.stdout).executionArn).toMatch(new RegExp(`^arn:aws:states:${REGION}:111111111111:execution:.*:cutover-\\d{8}T\\d{6}Z$`));

  const control = world.refs[Object.keys(world.template.Resources).find((k) => /OrchestratorControl/.test(k) && world.template.Resources[k].Type === 'AWS::SSM::Parameter')!];
  for (const value of ['PAUSE', 'RUN', 'ABORT']) {
    const r = run(command('Cutover', new RegExp(`--value ${value}$`)));
    expect(r.status).toBe(0);
    expect(seedAws(world.moto, REGION, ['ssm', 'get-parameter', '--name', control]).Parameter.Value).toBe(value);
  }
});

test('writer: where the fleet writes, the reverse task, and the writer back by hand (FENCED, then SOURCE, then the reverse task stopped)', () => {
  const reverse = taskArn(/ReverseTask/);
  // The state the by-hand steps are for: the writer moved to TARGET and the reverse task runs
  seedAws(world.moto, REGION, ['ssm', 'put-parameter', '--name', WRITER, '--type', 'String', '--overwrite', '--value', 'TARGET']);
  seedAws(world.moto, REGION, ['dms', 'start-replication-task', '--replication-task-arn', reverse, '--start-replication-task-type', 'start-replication']);

  const where = run(command('Writer', /get-parameter/));
  expect([where.status, where.stdout.trim()]).toEqual([0, '"TARGET"']);
  const watch = run(command('Writer', /describe-replication-tasks/));
  expect(JSON.parse(watch.stdout)[0]).toMatch(/^(starting|running)$/);

  expect(run(command('Writer', /--value FENCED$/)).status).toBe(0);
  expect(writerValue()).toBe('FENCED');
  expect(run(command('Writer', /--value SOURCE$/)).status).toBe(0);
  expect(writerValue()).toBe('SOURCE');
  const stop = run(command('Writer', /stop-replication-task/));
  expect(stop.status).toBe(0);
  expect(taskStatus(reverse)).toMatch(/^(stopping|stopped)$/);
  // The writer parameter's pattern (from the template's PutParameter) is stored with it
  const described = seedAws(world.moto, REGION, ['ssm', 'describe-parameters', '--parameter-filters', `Key=Name,Values=${WRITER}`]);
  expect(described.Parameters[0].AllowedPattern).toBe('^(SOURCE|FENCED|TARGET)$');
});

test('writer on TARGET without the reverse task: start it from the notified CdcStartTime', () => {
  const reverse = taskArn(/ReverseTask/);
  const line = command('Writer', /--cdc-start-time/);
  const started = run(`${line.replace('<CdcStartTime>', '2026-12-01T21:56:23Z')} --debug`);
  expect(started.status).toBe(0);
  expect(requestOf(started, 'StartReplicationTask')?.params).toMatch(/"CdcStartTime": 1796162183/);
  expect(taskStatus(reverse)).toMatch(/^(starting|running)$/);
});

test('replication after a move back: the forward task reloaded (reload-target), not resumed', () => {
  const forward = taskArn(/ReplicationTask[0-9A-F]{8}$/);
  // GIVEN the forward task stopped, as the writer move leaves it
  seedAws(world.moto, REGION, ['dms', 'stop-replication-task', '--replication-task-arn', forward]);
  // WHEN the operator runs the runbook's reload
  const reload = run(`${command('Replication', /reload-target/)} --debug`);
  // THEN awscli sends a reload of the forward task (never resume-processing), and the task runs again
  expect(reload.status).toBe(0);
  const params = requestOf(reload, 'StartReplicationTask')?.params;
  expect(params).toContain(`"ReplicationTaskArn": "${forward}"`);
  expect(params).toContain('"StartReplicationTaskType": "reload-target"');
  expect(taskStatus(forward)).toMatch(/^(starting|running)$/);
  expect(world.allCommands().filter((c) => /resume-processing/.test(c))).toEqual([]);
});

test('manual traffic rollback: legacy 100 / AWS 0 for every record name in one batch, waited for INSYNC', () => {
  seedAws(world.moto, REGION, ['route53', 'change-resource-record-sets', '--hosted-zone-id', zoneId(), '--change-batch', JSON.stringify({
    Changes: seedAws(world.moto, REGION, ['route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId()]).ResourceRecordSets
      .filter((r: any) => r.Type === 'A')
      .map((r: any) => ({ Action: 'UPSERT', ResourceRecordSet: { ...r, Weight: r.SetIdentifier === 'target' ? 70 : 30 } })),
  })]);
  expect(Object.values(weights())).toEqual([30, 70, 30, 70]);

  world.expectManualRollback();
});

/*
 * Region-sensitive commands must name their region (the stack's, us-east-1): the DMS commands do; the writer
 * parameter's and the orchestrator's commands (ssm, stepfunctions) do not.
 */
test('the region check itself, on sample lines: a missing or wrong --region is found', () => {
  expect(regionProblems([
    'aws ssm get-parameter --name /w',
    'aws ssm get-parameter --region eu-west-1 --name /w',
    'aws dms stop-replication-task --region us-east-1 --replication-task-arn t',
  ], () => [REGION])).toEqual([
    'no --region (needs us-east-1): aws ssm get-parameter --name /w',
    '--region eu-west-1, needs us-east-1: aws ssm get-parameter --region eu-west-1 --name /w',
  ]);
});

test('from an operator\'s CLI set to eu-west-1, "where the fleet writes" finds the writer parameter only if the command names us-east-1 (moto keeps regions apart)', () => {
  const where = command('Writer', /get-parameter/);
  const r = shell(world.moto, where, OTHER_REGION);
  if (regionsOf(where)[0] === REGION) expect(r.status).toBe(0);
  else expect(r.stderr).toMatch(/ParameterNotFound/);
});

world.closingTests(() => [REGION]);
