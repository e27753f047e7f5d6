/*
 * The reference migration's runbook (PaymentTarget, eu-west-1; source us-east-1) run with the real awscli against
 * moto: every `aws …` command of the synthesized runbook outputs, resolved to resources seeded in moto, run as an
 * operator would paste it, and checked in moto to do what the runbook text says.
 */
import { isUsageError, operationOf, regionProblems, regionsOf, requestOf, seedAws, shell } from './runbook';
import { RunbookWorld } from './runbook-world';
import { buildReferenceMigration } from '../../../examples/reference/app';

const REGION = 'eu-west-1';
const SOURCE_REGION = 'us-east-1';
const STACK = 'PaymentTarget';

const world = RunbookWorld.open(REGION, STACK, (app) => buildReferenceMigration(app).target, (w) => {
  // The global database: the primary in us-east-1, this stack's secondary cluster in eu-west-1
  const cluster = Object.values(w.template.Resources).find((r) => r.Type === 'AWS::RDS::DBCluster')!.Properties!;
  seedAws(w.moto, SOURCE_REGION, ['rds', 'create-global-cluster', '--global-cluster-identifier', cluster.GlobalClusterIdentifier, '--engine', 'aurora-mysql']);
});
const { run, command, zoneId, weights } = world;

world.testContents(['Cutover', 'Database', 'ManualForward', 'ManualRollback', 'Recovery'], [
  'cloudwatch describe-alarms',
  'stepfunctions start-execution',
  'stepfunctions describe-execution',
  'ssm put-parameter', 'ssm put-parameter', 'ssm put-parameter', 'ssm put-parameter',
  'dynamodb get-item',
  'stepfunctions describe-execution',
  'stepfunctions start-execution',
  'route53 change-resource-record-sets',
  'route53 change-resource-record-sets',
  'rds switchover-global-cluster',
  'rds describe-global-clusters',
  'rds failover-global-cluster',
  'rds describe-global-clusters',
  'rds switchover-global-cluster',
]);

test('pre-migration check: lists every gating alarm with its state', () => {
  const r = run(command('Cutover', /describe-alarms/));
  expect(r.stderr).toBe('');
  const alarms = Object.entries(world.template.Resources).filter(([, v]) => v.Type === 'AWS::CloudWatch::Alarm').map(([k]) => k);
  const listed = JSON.parse(r.stdout) as [string, string][];
  expect(listed.length).toBeGreaterThanOrEqual(3);
  expect(listed.every(([name, state]) => alarms.some((a) => world.refs[a] === name) && state === 'OK')).toBe(true);
});

test('start, watch and steer: the execution starts with a dated name, describe-execution finds it, each operator command sets the control parameter', () => {
  const start = run(command('Cutover', /start-execution/));
  expect(start.status).toBe(0);
  const arn = JSON.parse(start.stdout).executionArn as string;
  expect(arn).toMatch(new RegExp(`^arn:aws:states:${REGION}:111111111111:execution:PaymentTarget-Migration-Orchestrator-[0-9A-F]{8}-cutover:cutover-\\d{8}T\\d{6}Z$`));

  const watch = command('Cutover', /describe-execution/);
  expect(watch).toContain('<arn printed by start>');
  const described = run(watch.replace('<arn printed by start>', arn));
  expect(JSON.parse(described.stdout)).toMatchObject({ executionArn: arn, status: 'RUNNING' });

  const control = world.refs[Object.keys(world.template.Resources).find((k) => /OrchestratorControl/.test(k) && world.template.Resources[k].Type === 'AWS::SSM::Parameter')!];
  for (const value of ['PAUSE', 'RUN', 'SKIP_BAKE', 'ABORT']) {
    const r = run(command('Cutover', new RegExp(`--value ${value}$`)));
    expect(r.status).toBe(0);
    expect(seedAws(world.moto, REGION, ['ssm', 'get-parameter', '--name', control]).Parameter.Value).toBe(value);
  }
});

test('manual forward shift to 50 % and manual rollback: every record name in one batch, waited for INSYNC, health checks and targets kept', () => {
  const before = seedAws(world.moto, REGION, ['route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId()]).ResourceRecordSets.filter((r: any) => r.Type === 'A');
  expect(Object.values(weights())).toEqual([100, 0, 100, 0]);

  const forward = run(command('ManualForward', /change-resource-record-sets/));
  expect([forward.status, forward.stderr]).toEqual([0, '']);
  expect(Object.values(weights())).toEqual([50, 50, 50, 50]);

  world.expectManualRollback();
  const after = seedAws(world.moto, REGION, ['route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId()]).ResourceRecordSets.filter((r: any) => r.Type === 'A');
  expect(after).toEqual(before);
});

test('database: describe-global-clusters answers from moto; switchover and failover (not in moto 5.2.1) parse and reach the API with the runbook\'s parameters', () => {
  // Run with the primary's region added: the runbook's line names none (see the region tests below), and moto keeps
  // the global cluster where it was created
  const described = run(`${command('Database', /describe-global-clusters.*\[Status,/)} --region ${SOURCE_REGION}`);
  expect(described.status).toBe(0);
  expect(JSON.parse(described.stdout)[0]).toBe('available');

  const clusterArn = `arn:aws:rds:${REGION}:111111111111:cluster:${Object.values(world.template.Resources).find((r) => r.Type === 'AWS::RDS::DBCluster')!.Properties!.DBClusterIdentifier}`;
  for (const [pattern, action, extra] of [
    [/switchover-global-cluster .*-identifier arn:/, 'SwitchoverGlobalCluster', {}],
    [/failover-global-cluster/, 'FailoverGlobalCluster', { AllowDataLoss: 'true' }],
  ] as const) {
    const c = command('Database', pattern);
    // --debug prints the request awscli built; moto then answers that the action is not implemented
    const r = run(`${c} --debug`, { AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' });
    expect(isUsageError(r)).toBe(false);
    const request = requestOf(r, action);
    expect(request?.params).toContain('\'GlobalClusterIdentifier\': \'payments-global\'');
    expect(request?.params).toContain(`'TargetDbClusterIdentifier': '${clusterArn}'`);
    for (const [k, v] of Object.entries(extra)) expect(request?.params).toContain(`'${k}': '${v}'`);
    expect(r.status).not.toBe(0);
  }
});

test('database after SwitchBackFailed: the source cluster is the member that is not this region\'s; the switch-back by hand names it', () => {
  // GIVEN the global cluster's two members: the source in us-east-1, this stack's cluster in eu-west-1 (the writer now)
  const identifier = Object.values(world.template.Resources).find((r) => r.Type === 'AWS::RDS::DBCluster')!.Properties!.DBClusterIdentifier;
  for (const [region, id] of [[SOURCE_REGION, 'payments-source'], [REGION, identifier]]) {
    seedAws(world.moto, region, ['rds', 'create-db-cluster', '--db-cluster-identifier', id, '--engine', 'aurora-mysql', '--global-cluster-identifier', 'payments-global',
      '--master-username', 'admin', '--master-user-password', 'not-a-real-password-1']);
  }
  const sourceArn = `arn:aws:rds:${SOURCE_REGION}:111111111111:cluster:payments-source`;
  // WHEN the operator lists the other members (with the primary's region added, as above: moto keeps the global cluster there)
  const others = run(`${command('Database', /GlobalClusterMembers\[\?/)} --region ${SOURCE_REGION}`);
  // THEN only the source cluster is listed, not this region's
  expect(others.status).toBe(0);
  expect((JSON.parse(others.stdout) as Array<[string, boolean]>).map(([arn]) => arn)).toEqual([sourceArn]);
  // AND the switch-back by hand, given that ARN, reaches SwitchoverGlobalCluster for it (not in moto 5.2.1)
  const back = run(`${command('Database', /<the source cluster's ARN>/).replace("<the source cluster's ARN>", sourceArn)} --debug`, { AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' });
  expect(isUsageError(back)).toBe(false);
  expect(requestOf(back, 'SwitchoverGlobalCluster')?.params).toContain(`'TargetDbClusterIdentifier': '${sourceArn}'`);
});

/*
 * Region-sensitive commands must name their region: an operator's CLI default region is no guide, and on the
 * disaster path the source region may be gone. The right region: the stack's (eu-west-1) for what the stack created
 * (alarms, state machine, parameters); for the global cluster, a member's region — the survivor's (the target
 * cluster's, eu-west-1) for failover-global-cluster. Route 53 is global.
 */
function expectedRegions(c: string): string[] | undefined {
  const { service, operation } = operationOf(c);
  if (service === 'rds' && operation === 'failover-global-cluster') return [REGION];
  if (service === 'rds') return [SOURCE_REGION, REGION];
  return [REGION];
}

test('the region check itself, on sample lines: a missing or wrong --region is found, Route 53 needs none', () => {
  expect(regionProblems(['aws rds failover-global-cluster --global-cluster-identifier g'], expectedRegions)).toEqual([
    'no --region (needs eu-west-1): aws rds failover-global-cluster --global-cluster-identifier g',
  ]);
  expect(regionProblems(['aws rds failover-global-cluster --region us-east-1 --global-cluster-identifier g'], expectedRegions)).toEqual([
    '--region us-east-1, needs eu-west-1: aws rds failover-global-cluster --region us-east-1 --global-cluster-identifier g',
  ]);
  expect(regionProblems([
    'aws rds failover-global-cluster --region eu-west-1 --global-cluster-identifier g',
    'aws rds switchover-global-cluster --region us-east-1 --global-cluster-identifier g',
    'CHANGE_ID=$(aws route53 change-resource-record-sets --hosted-zone-id Z) && aws route53 wait resource-record-sets-changed --id "$CHANGE_ID"',
  ], expectedRegions)).toEqual([]);
});

test('from an operator\'s CLI set to us-east-1, an operator command reaches the cutover\'s control parameter only if it names eu-west-1 (moto keeps regions apart)', () => {
  const pause = command('Cutover', /--value PAUSE$/);
  const r = shell(world.moto, pause.replace('--value PAUSE', '--value RUN'), SOURCE_REGION);
  // Succeeds either way: that is the danger
  expect([r.status, r.stderr]).toEqual([0, '']);
  const control = world.refs[Object.keys(world.template.Resources).find((k) => /OrchestratorControl/.test(k) && world.template.Resources[k].Type === 'AWS::SSM::Parameter')!];
  // Without --region the command wrote a parameter of that name in us-east-1 instead: the cutover never sees it
  const inSource = shell(world.moto, `aws ssm get-parameter --region ${SOURCE_REGION} --name ${control} --query Parameter.Value --output text`, SOURCE_REGION);
  expect(inSource.stdout.trim()).toBe(regionsOf(pause)[0] === REGION ? '' : 'RUN');
});

world.closingTests(expectedRegions);
