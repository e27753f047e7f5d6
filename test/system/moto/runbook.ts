/*
 * The runbook's `aws …` commands against moto with the real awscli: the stack's runbook outputs (CfnOutput values)
 * resolved to resources seeded in moto as the deployment would have created them, each command extracted from the
 * text and run by bash exactly as an operator would paste it.
 */
import { spawnSync } from 'child_process';
import { resolve } from './cfn';
import { MotoServer, requireOnPath } from './moto-server';

/** One run of a shell command line. */
export interface ShellRun {
  readonly command: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command line with bash, the awscli pointed at moto (dummy credentials, default region `region`). The line
 * runs as written: a shell function puts `--endpoint-url` in front of every `aws` (in `$(…)` too). `AWS_ENDPOINT_URL`
 * alone is not enough: awscli 1.45 ignores it for `rds` (it still calls https://rds.amazonaws.com/).
 */
export function shell(moto: MotoServer, command: string, region: string, extraEnv: Record<string, string> = {}): ShellRun {
  const wrapped = `aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }\n${command}`;
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', wrapped], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', PYENV_ROOT: process.env.PYENV_ROOT ?? '', ...moto.env(region), ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { command, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** awscli v1's own refusals of a command line (before any request): exit code 2 and its usage/parse messages. */
export function isUsageError(run: ShellRun): boolean {
  return run.status === 2 || /usage: aws|Unknown options|Invalid choice|invalid choice|the following arguments are required|Error parsing parameter/.test(run.stderr);
}

/** Runs an awscli command in moto for seeding; throws with its stderr on failure; returns parsed JSON output. */
export function seedAws(moto: MotoServer, region: string, args: string[]): any {
  const r = spawnSync('aws', ['--endpoint-url', moto.endpoint, ...args, '--output', 'json'], { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...moto.env(region) }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seeding: aws ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

/**
 * The `aws …` command lines of a runbook text: every line, and within a line every command (a line may hold several,
 * as in "pause aws ssm …; resume aws ssm …"). A command runs to the end of the line or to the next "; <word> aws".
 */
export function commandsOf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const starts = [...line.matchAll(/(?<=^|[\s(])(CHANGE_ID=\$\()?aws [a-z0-9-]+ [a-z0-9-]+/g)]
      .map((m) => m.index!)
      // `CHANGE_ID=$(aws …) && aws route53 wait …` is one command line; the `aws` inside `$(` is part of its start
      .filter((i) => !line.slice(0, i).trimEnd().endsWith('&&') && !line.slice(0, i).endsWith('CHANGE_ID=$('));
    starts.forEach((s, i) => {
      const chunk = line.slice(s, starts[i + 1] ?? line.length);
      out.push((i + 1 < starts.length ? chunk.replace(/;[^;]*$/, '') : chunk).trim());
    });
  }
  return out;
}

/** The service and operation of a command line (`route53 change-resource-record-sets`). */
export function operationOf(command: string): { service: string; operation: string } {
  const m = /aws ([a-z0-9-]+) ([a-z0-9-]+)/.exec(command)!;
  return { service: m[1], operation: m[2] };
}

/** The `--region` a command line names, if any (each aws invocation of the line). */
export function regionsOf(command: string): (string | undefined)[] {
  return command.split(/(?=\baws [a-z0-9-]+ [a-z0-9-]+)/).filter((c) => c.startsWith('aws ')).map((c) => /--region ([a-z0-9-]+)/.exec(c)?.[1]);
}

/**
 * The request awscli built for `operation` (from its `--debug` log): the parameters as logged, and the region of the
 * client that sent it. For operations moto does not implement, this is as far as a check can go.
 */
export function requestOf(run: ShellRun, operation: string): { params: string; clientRegion?: string } | undefined {
  const line = run.stderr.split('\n').find((l) => l.includes(`Making request for OperationModel(name=${operation})`));
  if (!line) return undefined;
  return { params: line, clientRegion: /'client_region': '([a-z0-9-]+)'/.exec(line)?.[1] };
}

/** Services whose API is global (one endpoint, no region to choose). */
const GLOBAL_SERVICES = new Set(['route53', 'iam', 'organizations', 'cloudfront']);

/**
 * Each region-sensitive command that does not name its region, or names a wrong one. `expected` gives the regions
 * acceptable for a command (undefined: any region named is fine).
 */
export function regionProblems(commands: string[], expected: (command: string) => string[] | undefined): string[] {
  const problems: string[] = [];
  for (const c of commands) {
    if (GLOBAL_SERVICES.has(operationOf(c).service)) continue;
    const ok = expected(c);
    for (const r of regionsOf(c)) {
      if (r === undefined) problems.push(`no --region${ok ? ` (needs ${ok.join(' or ')})` : ''}: ${c}`);
      else if (ok && !ok.includes(r)) problems.push(`--region ${r}, needs ${ok.join(' or ')}: ${c}`);
    }
  }
  return problems;
}

/** A synthesized template. */
export interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/** The logical ids a value refers to (`Ref`, `Fn::GetAtt`), pseudo parameters left out. */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {value.forEach((v) => referencedIds(v, into));} else if (value && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) into.add(o.Ref);
    if (o['Fn::GetAtt']) into.add(Array.isArray(o['Fn::GetAtt']) ? o['Fn::GetAtt'][0] : String(o['Fn::GetAtt']).split('.')[0]);
    Object.values(o).forEach((v) => referencedIds(v, into));
  }
  return into;
}

/**
 * Seeds moto with what the deployment would have created for every resource `ids` names, and returns the values
 * CloudFormation would resolve their `Ref`s and `Fn::GetAtt`s to. Throws on a resource type it cannot seed.
 * `stackName`: CloudFormation's generated names (`<stack>-<logical id>-<suffix>`) use it.
 */
export function seedResources(
  moto: MotoServer, template: Template, ids: Iterable<string>, region: string, stackName: string,
): Record<string, string> {
  const refs: Record<string, string> = {};
  const account = '111111111111';
  for (const id of ids) {
    const r = template.Resources[id];
    if (!r) throw new Error(`seeding: ${id} is not a resource of the template`);
    // Only the properties a seed needs are resolved (others may name resources the runbook never touches)
    const p = new Proxy({} as Record<string, any>, {
      get: (_t, key: string) => {
        try {
          return resolve(r.Properties?.[key], refs, { region });
        } catch {
          return undefined;
        }
      },
    });
    switch (r.Type) {
      case 'AWS::Route53::HostedZone': {
        const out = seedAws(moto, region, ['route53', 'create-hosted-zone', '--name', p.Name, '--caller-reference', id]);
        refs[id] = out.HostedZone.Id.replace('/hostedzone/', '');
        break;
      }
      case 'AWS::Route53::HealthCheck': {
        const cfg = { Type: 'HTTPS', FullyQualifiedDomainName: 'health.example.com', Port: 443, ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3 };
        const out = seedAws(moto, region, ['route53', 'create-health-check', '--caller-reference', id, '--health-check-config', JSON.stringify(cfg)]);
        refs[id] = refs[`${id}.HealthCheckId`] = out.HealthCheck.Id;
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = p.StateMachineName ?? `${stackName}-${id}`;
        const out = seedAws(moto, region, ['stepfunctions', 'create-state-machine', '--name', name,
          '--definition', JSON.stringify({ StartAt: 'Bake', States: { Bake: { Type: 'Wait', Seconds: 3600, End: true } } }),
          '--role-arn', `arn:aws:iam::${account}:role/${id}`]);
        refs[id] = out.stateMachineArn;
        refs[`${id}.Name`] = name;
        break;
      }
      case 'AWS::SSM::Parameter': {
        const name = p.Name ?? `CFN-${id}-MOTO`;
        seedAws(moto, region, ['ssm', 'put-parameter', '--name', name, '--type', p.Type ?? 'String', '--value', String(p.Value)]);
        refs[id] = name;
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const name = p.AlarmName ?? `${stackName}-${id}-MOTO`;
        seedAws(moto, region, ['cloudwatch', 'put-metric-alarm', '--alarm-name', name, '--metric-name', p.MetricName ?? 'Metric', '--namespace', p.Namespace ?? 'Moto',
          '--statistic', 'Average', '--period', '60', '--evaluation-periods', '1', '--threshold', String(p.Threshold ?? 1), '--comparison-operator', p.ComparisonOperator ?? 'GreaterThanThreshold']);
        refs[id] = name;
        refs[`${id}.Arn`] = `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
        break;
      }
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        // Only its DNS name and zone appear (in alias targets, which Route 53 and moto take as given)
        refs[`${id}.DNSName`] = `${id.toLowerCase().slice(0, 20)}-123456789.${region}.elb.amazonaws.com`;
        refs[`${id}.CanonicalHostedZoneID`] = 'Z32O12XQLNTSW2';
        break;
      case 'AWS::DMS::ReplicationTask': {
        const out = seedAws(moto, region, ['dms', 'create-replication-task', '--replication-task-identifier', p.ReplicationTaskIdentifier ?? id.toLowerCase(),
          '--source-endpoint-arn', `arn:aws:dms:${region}:${account}:endpoint:SOURCE${id}`, '--target-endpoint-arn', `arn:aws:dms:${region}:${account}:endpoint:TARGET${id}`,
          '--replication-instance-arn', `arn:aws:dms:${region}:${account}:rep:INSTANCE`, '--migration-type', p.MigrationType ?? 'full-load-and-cdc',
          '--table-mappings', typeof p.TableMappings === 'string' ? p.TableMappings : JSON.stringify(p.TableMappings ?? { rules: [] })]);
        refs[id] = out.ReplicationTask.ReplicationTaskArn;
        break;
      }
      case 'AWS::DynamoDB::Table': {
        const name = p.TableName ?? `${stackName}-${id}-MOTO`;
        seedAws(moto, region, ['dynamodb', 'create-table', '--table-name', name, '--billing-mode', 'PAY_PER_REQUEST',
          '--key-schema', JSON.stringify(p.KeySchema), '--attribute-definitions', JSON.stringify(p.AttributeDefinitions)]);
        refs[id] = name;
        break;
      }
      case 'AWS::Lambda::Function':
        refs[`${id}.Arn`] = `arn:aws:lambda:${region}:${account}:function:${id}`;
        break;
      default:
        throw new Error(`seeding: no model for ${r.Type} (${id})`);
    }
  }
  return refs;
}

/** Fails loudly when the awscli is missing (the runbook tests need it; never skip). */
export function requireAwsCli(): void {
  requireOnPath('aws', 'the runbook tests run every runbook command with the real awscli');
}

/** An awscli command line of the runbook with its `<placeholder>` filled in (the runbook names what to put there). */
export function fill(command: string, placeholder: string, value: string): string {
  if (!command.includes(`<${placeholder}>`)) throw new Error(`no <${placeholder}> in: ${command}`);
  return command.split(`<${placeholder}>`).join(value);
}

/** Whether a command line of the runbook was run, placeholders (`<…>`) filled in: the part before the first one. */
export function wasRun(command: string, ran: Iterable<string>): boolean {
  const prefix = command.split('<')[0];
  return [...ran].some((k) => k.startsWith(prefix));
}

/**
 * The Recovery section run as an operator would (both paths): a rollback left the record STUCK, held by an execution
 * that has ended. get-item shows the phase and the owner; describe-execution of the owner says it is not running;
 * start-execution of the recovery with that owner and manual:true starts it with exactly that input (moto's
 * DescribeExecution).
 */
export function runRecoverySection(
  moto: MotoServer, region: string, section: string, refs: Record<string, string>, template: Template,
  run: (line: string) => ShellRun,
): void {
  const machines = Object.keys(template.Resources).filter((k) => template.Resources[k].Type === 'AWS::StepFunctions::StateMachine');
  const cutover = machines.find((k) => /-cutover$/.test(refs[k] ?? ''))!;
  const recovery = machines.find((k) => /Recovery/.test(k))!;
  const table = refs[Object.keys(template.Resources).find((k) => template.Resources[k].Type === 'AWS::DynamoDB::Table')!];
  const commands = commandsOf(section);
  const one = (pattern: RegExp) => {
    const found = commands.filter((c) => pattern.test(c));
    if (found.length !== 1) throw new Error(`Recovery: ${found.length} commands match ${pattern}:\n${section}`);
    return found[0];
  };
  // GIVEN a cutover execution that ended (stopped) holding the record, STUCK
  const owner = seedAws(moto, region, ['stepfunctions', 'start-execution', '--state-machine-arn', refs[cutover], '--name', `stuck-${Date.now()}`]).executionArn as string;
  seedAws(moto, region, ['stepfunctions', 'stop-execution', '--execution-arn', owner]);
  seedAws(moto, region, ['dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify({
    pk: { S: 'cutover' }, phase: { S: 'STUCK' }, owner: { S: owner }, cutover: { S: owner }, at: { S: '2026-12-01T21:58:00.000Z' }, claims: { N: '7' },
  })]);

  // WHEN the operator reads the record, THEN it says STUCK and names the owner
  const read = run(one(/dynamodb get-item/));
  expect([read.status, read.stderr]).toEqual([0, '']);
  expect(JSON.parse(read.stdout)).toEqual({ phase: 'STUCK', owner, since: '2026-12-01T21:58:00.000Z' });
  // AND the owner is not running
  const status = run(fill(one(/describe-execution/), 'owner', owner));
  expect([status.status, status.stdout.trim()]).toEqual([0, '"ABORTED"']);

  // WHEN the operator starts the recovery for that owner
  const started = run(fill(one(/start-execution/), 'owner', owner));
  expect([started.status, started.stderr]).toEqual([0, '']);
  const arn = JSON.parse(started.stdout).executionArn as string;
  // THEN it is an execution of the recovery workflow, named by date, whose input names the owner and manual:true
  expect(arn).toMatch(new RegExp(`^${refs[recovery].replace(':stateMachine:', ':execution:')}:recover-\\d{8}T\\d{6}Z$`));
  const described = seedAws(moto, region, ['stepfunctions', 'describe-execution', '--execution-arn', arn]);
  expect(JSON.parse(described.input)).toEqual({ execution: owner, manual: true });
}
