import { ChildProcess, execFile, spawn } from 'child_process';
import * as http from 'http';
import * as net from 'net';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateDBClusterCommand, CreateGlobalClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bundleCli } from '../../console/cli-bundle';
import { ACCOUNT, referenceTemplate, resolver, SOURCE_ALB_DNS, SOURCE_ALB_FULL_NAME, TARGET_ALB_DNS, TARGET_ALB_FULL_NAME } from '../../console/reference-stack';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One SFN request that reached the proxy. */
export interface Recorded {
  readonly target: string;
  readonly body: any;
}

/**
 * moto_server on a free port, behind a recording proxy. moto's Step Functions does not run our definitions, returns
 * a canned history and treats SendTaskSuccess/Failure as no-ops; so the proxy serves recorded histories (set per
 * execution ARN) and records every Step Functions request, then forwards everything to moto.
 */
export class MotoWorld {
  public static async start(): Promise<MotoWorld> {
    const motoPort = await freePort();
    const moto = spawn('moto_server', ['-p', String(motoPort)], { env: { ...process.env, MOTO_ACCOUNT_ID: ACCOUNT }, stdio: 'ignore' });
    const world = new MotoWorld(moto, motoPort);
    for (let i = 0; i < 100; i++) {
      if (await world.reachable()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await world.listen();
    return world;
  }

  public readonly histories = new Map<string, any[]>();
  public readonly recorded: Recorded[] = [];
  public endpoint = '';
  public zoneId = '';
  public manifest: any;
  private server?: http.Server;

  private constructor(private readonly moto: ChildProcess, private readonly motoPort: number) {}

  private reachable(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.motoPort, path: '/moto-api/' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
  }

  private async listen(): Promise<void> {
    const port = await freePort();
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target.startsWith('AWSStepFunctions.')) {
          const parsed = JSON.parse(body.toString() || '{}');
          this.recorded.push({ target: target.replace('AWSStepFunctions.', ''), body: parsed });
          const history = target === 'AWSStepFunctions.GetExecutionHistory' ? this.histories.get(parsed.executionArn) : undefined;
          if (history) {
            const events = parsed.reverseOrder ? [...history].reverse() : history;
            res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(JSON.stringify({ events: events.map((e) => ({ ...e, timestamp: new Date(e.timestamp).getTime() / 1000 })) }));
            return;
          }
        }
        const forward = http.request({ host: '127.0.0.1', port: this.motoPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        });
        forward.on('error', (e) => {
          res.writeHead(502);
          res.end(String(e));
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.moto.pid) process.kill(this.moto.pid, 'SIGTERM');
  }

  /** SDK clients straight to moto (not through the proxy), for seeding and for assertions. */
  public config(region = 'eu-west-1') {
    return { region, endpoint: `http://127.0.0.1:${this.motoPort}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  }

  public ssm() { return new SSMClient(this.config()); }
  public cloudwatch(region?: string) { return new CloudWatchClient(this.config(region)); }
  public route53() { return new Route53Client(this.config('us-east-1')); }
  public sfn() { return new SFNClient(this.config()); }
  public dynamodb() { return new DynamoDBClient(this.config()); }

  /**
   * Writes the cutover record as the workflows' claims leave it (`pk` = `cutover`); `undefined` attributes are left
   * out. `phase` undefined: the item is deleted (a record never claimed).
   */
  public async record(attributes: {
    phase?: string; owner?: string; at?: string; by?: string; cutover?: string; lastOwner?: string; claims?: number;
  }): Promise<void> {
    if (attributes.phase === undefined) {
      await this.dynamodb().send(new DeleteItemCommand({ TableName: this.manifest.tbl, Key: { pk: { S: 'cutover' } } }));
      return;
    }
    const { claims, ...strings } = attributes;
    const item: Record<string, any> = { pk: { S: 'cutover' } };
    for (const [k, v] of Object.entries(strings)) if (v !== undefined) item[k] = { S: v };
    if (claims !== undefined) item.claims = { N: String(claims) };
    await this.dynamodb().send(new PutItemCommand({ TableName: this.manifest.tbl, Item: item }));
  }

  /** Starts an execution of `stateMachineArn` in moto (it stays RUNNING: moto does not run definitions). */
  public async execution(stateMachineArn: string, name: string, options: { stopped?: boolean } = {}): Promise<string> {
    const arn = (await this.sfn().send(new StartExecutionCommand({ stateMachineArn, name }))).executionArn!;
    if (options.stopped) await this.sfn().send(new StopExecutionCommand({ executionArn: arn }));
    return arn;
  }

  public async parameter(name: string): Promise<string | undefined> {
    return (await this.ssm().send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  }

  public async setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason: string): Promise<void> {
    await this.cloudwatch().send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
  }

  public async weights(): Promise<Record<string, number>> {
    const out = await this.route53().send(new ListResourceRecordSetsCommand({ HostedZoneId: this.zoneId }));
    return Object.fromEntries((out.ResourceRecordSets ?? []).filter((r) => r.SetIdentifier).map((r) => [`${r.Name}${r.SetIdentifier}`, r.Weight!]));
  }

  /**
   * Deploys the reference stack's console-facing parts into moto: the hosted zone with both sides' weighted
   * records, the control parameter, the gating alarms (OK), both load balancers' request counts, the global
   * cluster (writer in the source region), the three state machines with their real definitions, the cutover record's
   * table (empty), and a
   * CloudFormation stack whose outputs are the template's, resolved as a deployment would.
   */
  public async deploy(template: any, options: { targetRequests: number; sourceRequests: number }): Promise<void> {
    const zone = await this.route53().send(new CreateHostedZoneCommand({ Name: 'pay.example.com', CallerReference: 'console-test' }));
    this.zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
    const resolve = resolver(template, { zoneId: this.zoneId });
    const outputs: Record<string, { Value: string; Description?: string }> = resolve(template.Outputs);
    const manifestKey = Object.keys(outputs).find((k) => /ConsoleManifest/.test(k))!;
    this.manifest = JSON.parse(outputs[manifestKey].Value);
    const m = this.manifest;

    for (const name of m.rec as string[]) {
      await this.route53().send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: this.zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: name, Type: 'A', SetIdentifier: 'source', Weight: 100, AliasTarget: { DNSName: SOURCE_ALB_DNS, HostedZoneId: 'Z35SXDOTRQ7X7K', EvaluateTargetHealth: true } } },
            { Action: 'CREATE', ResourceRecordSet: { Name: name, Type: 'A', SetIdentifier: 'target', Weight: 0, AliasTarget: { DNSName: `dualstack.${TARGET_ALB_DNS}`, HostedZoneId: 'Z32O12XQLNTSW2', EvaluateTargetHealth: true } } },
          ],
        },
      }));
    }
    await this.ssm().send(new PutParameterCommand({ Name: m.ctl, Value: 'RUN', Type: 'String' }));
    for (const alarm of m.alarms as string[]) {
      await this.cloudwatch().send(new PutMetricAlarmCommand({ AlarmName: alarm, Namespace: 'Test', MetricName: alarm.slice(0, 200), Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
      await this.setAlarm(alarm, 'OK', 'Threshold Crossed: 1 datapoint [0.0] was not greater than the threshold (1.0).');
    }
    const minute = Math.floor(Date.now() / 60000) * 60000;
    for (const [region, lb, count] of [['eu-west-1', TARGET_ALB_FULL_NAME, options.targetRequests], ['us-east-1', SOURCE_ALB_FULL_NAME, options.sourceRequests]] as const) {
      for (let k = -3; k <= 3; k++) {
        await this.cloudwatch(region).send(new PutMetricDataCommand({
          Namespace: 'AWS/ApplicationELB',
          MetricData: [{ MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: lb }], Timestamp: new Date(minute + k * 60000 + 30000), Value: count, Unit: 'Count' }],
        }));
      }
    }
    await new RDSClient(this.config('us-east-1')).send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: m.gc, Engine: 'aurora-mysql' }));
    await new RDSClient(this.config('us-east-1')).send(new CreateDBClusterCommand({
      DBClusterIdentifier: 'payments', Engine: 'aurora-mysql', GlobalClusterIdentifier: m.gc, MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1',
    }));
    await new RDSClient(this.config('eu-west-1')).send(new CreateDBClusterCommand({ DBClusterIdentifier: m.db.split(':').pop(), Engine: 'aurora-mysql', GlobalClusterIdentifier: m.gc }));

    // The three workflows (cutover, alarm rollback, recovery), each with its real definition: any may hold the record
    for (const id of Object.keys(template.Resources).filter((k) => template.Resources[k].Type === 'AWS::StepFunctions::StateMachine')) {
      const arn: string = resolve({ Ref: id });
      const definition = resolve(template.Resources[id].Properties.DefinitionString);
      await this.sfn().send(new CreateStateMachineCommand({ name: arn.split(':').pop(), definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/${id}` }));
    }
    // The cutover record's table, as the template declares it (no item: never claimed, IDLE)
    const tableId = Object.keys(template.Resources).find((k) => template.Resources[k].Type === 'AWS::DynamoDB::Table')!;
    const table = template.Resources[tableId].Properties;
    await this.dynamodb().send(new CreateTableCommand({ TableName: m.tbl, KeySchema: table.KeySchema, AttributeDefinitions: table.AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST' }));

    const stackOutputs = Object.fromEntries(Object.entries(outputs)
      .map(([k, v]) => [k, { Value: v.Value, ...(v.Description ? { Description: v.Description } : {}) }]));
    await new CloudFormationClient(this.config()).send(new CreateStackCommand({
      StackName: 'PaymentTarget',
      TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: stackOutputs }),
    }));
    // The on-premises shape of the manifest (DMS path): the writer parameter instead of a global cluster, no source
    // load balancer; same cutover state machine (the console reads the writer from the manifest, not the definition).
    const { gc: _gc, db: _db, src: _src, ...common } = m;
    const dms = { ...common, kind: 'dms', wr: '/payments/database/writer', dms: { fwd: 'arn:aws:dms:eu-west-1:111111111111:task:FORWARD', rev: 'arn:aws:dms:eu-west-1:111111111111:task:REVERSE' } };
    await this.ssm().send(new PutParameterCommand({ Name: dms.wr, Value: 'SOURCE', Type: 'String' }));
    await new CloudFormationClient(this.config()).send(new CreateStackCommand({
      StackName: 'PaymentOnPremises',
      TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { MigrationConsoleManifest0A1B2C3D: { Value: JSON.stringify(dms) } } }),
    }));
    await new CloudFormationClient(this.config()).send(new CreateStackCommand({
      StackName: 'NotAMigration',
      TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { TopicArn: { Value: { Ref: 'Topic' } } } }),
    }));
  }
}

/** Runs a command and resolves with its stdout (asynchronously: the proxy must keep answering meanwhile). */
export function sh(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, (error, stdout) => (error ? reject(error) : resolve(stdout))));
}

/**
 * A fixed-size tmux pane (120 × 40) running the CLI, for what a person sees: `capture-pane -p` reads the screen.
 * The pane stays after the CLI exits (it prints `EXIT=<code>`), until `kill()`.
 */
export class TmuxPane {
  public static async open(bundle: string, endpoint: string, args: string[]): Promise<TmuxPane> {
    const name = `pm-console-${process.pid}-${Date.now()}`;
    const env = `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_ENDPOINT_URL=${endpoint} AWS_EC2_METADATA_DISABLED=true`;
    const command = `env ${env} node ${bundle} ${args.join(' ')}; echo EXIT=$?; sleep 60`;
    await sh('tmux', ['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command]);
    return new TmuxPane(name);
  }

  private constructor(public readonly name: string) {}

  public screen(): Promise<string> {
    return sh('tmux', ['capture-pane', '-p', '-t', this.name]);
  }

  /** Polls the screen until `pattern` shows (or `ms` pass), and returns the screen. */
  public async waitFor(pattern: RegExp, ms = 15000): Promise<string> {
    const until = Date.now() + ms;
    let screen = '';
    while (Date.now() < until) {
      screen = await this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
  }

  public async keys(...keys: string[]): Promise<void> {
    await sh('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  public async kill(): Promise<void> {
    await sh('tmux', ['kill-session', '-t', this.name]).catch(() => undefined);
  }
}

/** A `status --watch` run without a TTY: every line it prints, parsed as JSON as it comes; the child; its exit code. */
export interface JsonWatch {
  readonly lines: any[];
  readonly child: ChildProcess;
  readonly exited: Promise<number>;
}

/** Runs the bundled CLI with `args` against `endpoint`, collecting its JSON lines. */
export function watchJson(bundle: string, endpoint: string, args: string[]): JsonWatch {
  const lines: any[] = [];
  const child = spawn('node', [bundle, ...args], {
    env: { PATH: process.env.PATH!, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: endpoint },
  });
  let buffer = '';
  child.stdout!.on('data', (d) => {
    buffer += d;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      lines.push(JSON.parse(buffer.slice(0, i)));
      buffer = buffer.slice(i + 1);
    }
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { lines, child, exited };
}

/** The CLI bundled, and moto with the reference stack's console-facing parts deployed (250 requests on the target, 750 on the source). */
export async function referenceWorld(): Promise<{ world: MotoWorld; bundle: string }> {
  const template = referenceTemplate();
  const bundle = bundleCli();
  const world = await MotoWorld.start();
  await world.deploy(template, { targetRequests: 250, sourceRequests: 750 });
  return { world, bundle };
}
