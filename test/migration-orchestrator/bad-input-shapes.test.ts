/* eslint-disable no-bitwise */ // the TypeScript compiler API speaks in bit flags
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ts from 'typescript';
import {
  AuroraGlobalSecondary, CutoverGate, CutoverSteps, DatabaseSwitchover, DatabaseWriterParameter, DmsReplication,
  MigrationOrchestrator, PaymentFleet, PaymentProcessorImage, RegionalNetwork,
} from '../../src';
import { ACCOUNT, AZS, messageOf, newStack, nextId, REGION } from '../support/bad-input';
import { datacenterNetwork, threeMinuteAlarm, weightedShifter } from '../support/world';
import { bundleHandler } from '../weighted-cutover/bundle';

/*
 * Plain JavaScript and jsii callers (family "Shapes"): every public option of the constructors and static factories of
 * the orchestrator, the fleet, the replication and the network is given (a) `undefined` when required, (b) a number
 * where a Duration is expected, (c) a string where an object (a construct, a struct, a factory's product) is expected,
 * (d) a string where a list is expected, (e) the wrong primitive — and each must be refused with a validation error
 * naming the option, never a TypeError.
 *
 * The options are read from the TypeScript declarations (src/index.ts and what it exports), not copied: an option
 * added later gets its rows without anyone writing them, and fails here until its shape is checked.
 */

// ------------------------------------------------------------------------------------------------------------------
// The public API, from the declarations
// ------------------------------------------------------------------------------------------------------------------

type Kind = 'duration' | 'object' | 'struct' | 'array' | 'record' | 'number' | 'string' | 'boolean' | 'enum';
interface Member { readonly path: string; readonly kind: Kind; readonly optional: boolean }
interface Param {
  readonly name: string;
  readonly kind: Kind;
  readonly optional: boolean;
  readonly members: Member[];
  readonly elementMembers: Member[];
}
interface Signature { readonly api: string; readonly params: Param[] }

/** The files whose public classes this battery covers: the orchestrator folder (but the shifter interface), three constructs. */
const COVERED = /^src\/(migration-orchestrator\/(?!traffic-shifter)|payment-fleet\/payment-fleet\.ts|dms-replication\/dms-replication\.ts|regional-network\/regional-network\.ts)/;
const ROOT = path.join(__dirname, '..', '..');

function publicApi(): Signature[] {
  const program = ts.createProgram([path.join(ROOT, 'src', 'index.ts')], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(ROOT, 'src', 'index.ts'))!;
  const isLocal = (d: ts.Declaration) => path.relative(ROOT, d.getSourceFile().fileName).startsWith('src');
  const strip = (t: ts.Type) => (t.isUnion() ? checker.getNonNullableType(t) : t);
  const kindOf = (t: ts.Type): Kind => {
    const s = t.getSymbol() ?? t.aliasSymbol;
    const text = checker.typeToString(t);
    if (text === 'Duration') return 'duration';
    if (t.flags & ts.TypeFlags.EnumLike || (t.isUnion() && t.types.every((u) => u.flags & ts.TypeFlags.EnumLiteral))) return 'enum';
    if (t.flags & ts.TypeFlags.NumberLike) return 'number';
    if (t.flags & ts.TypeFlags.StringLike) return 'string';
    if (t.flags & ts.TypeFlags.BooleanLike || text === 'boolean') return 'boolean';
    if (checker.isArrayType(t)) return 'array';
    if (/^(Record<|\{ \[)/.test(text)) return 'record';
    if (s?.declarations?.some((d) => ts.isInterfaceDeclaration(d) && isLocal(d)) && !/^I[A-Z]/.test(s.name)) return 'struct';
    return 'object';
  };
  const membersOf = (t: ts.Type, prefix = ''): Member[] => checker.getPropertiesOfType(t).flatMap((p) => {
    const type = strip(checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration!));
    const member: Member = { path: `${prefix}${p.name}`, kind: kindOf(type), optional: (p.flags & ts.SymbolFlags.Optional) !== 0 };
    return member.kind === 'struct' ? [member, ...membersOf(type, `${member.path}.`)] : [member];
  });
  const paramOf = (p: ts.Symbol): Param => {
    const decl = p.valueDeclaration as ts.ParameterDeclaration;
    const type = strip(checker.getTypeOfSymbolAtLocation(p, decl));
    const kind = kindOf(type);
    const element = kind === 'array' ? checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
    return {
      name: p.name,
      kind,
      optional: decl.questionToken !== undefined || decl.initializer !== undefined,
      members: kind === 'struct' ? membersOf(type) : [],
      elementMembers: element && kindOf(element) === 'struct' ? membersOf(element) : [],
    };
  };
  const hidden = (d: ts.Declaration) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
  const signatures: Signature[] = [];
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    if (!decl || !ts.isClassDeclaration(decl) || !COVERED.test(path.relative(ROOT, decl.getSourceFile().fileName))) continue;
    const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
    const abstract = ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Abstract;
    for (const sig of abstract ? [] : type.getConstructSignatures()) {
      if (sig.declaration && !hidden(sig.declaration)) signatures.push({ api: `new ${symbol.name}`, params: sig.getParameters().map(paramOf) });
    }
    for (const method of checker.getPropertiesOfType(type)) {
      const md = method.valueDeclaration;
      if (!md || !ts.isMethodDeclaration(md) || hidden(md) || method.name.startsWith('_') || method.name === 'isConstruct') continue;
      for (const sig of checker.getTypeOfSymbolAtLocation(method, md).getCallSignatures()) {
        if (sig.getParameters().length > 0) signatures.push({ api: `${symbol.name}.${method.name}`, params: sig.getParameters().map(paramOf) });
      }
    }
  }
  return signatures;
}

// ------------------------------------------------------------------------------------------------------------------
// How to call each, with valid arguments
// ------------------------------------------------------------------------------------------------------------------

bundleHandler();
const stack = newStack('ShapesB');
const vpc = datacenterNetwork(stack).vpc;
const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`);
const secret = (name: string) => secretsmanager.Secret.fromSecretCompleteArn(stack, nextId('Secret'), `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`);
const auroraSg = new ec2.SecurityGroup(stack, 'AuroraSg', { vpc, description: 'Aurora target', allowAllOutbound: false });
const DATACENTER = { host: '192.168.10.20', databaseName: 'payments', secret: secret('dms/onprem'), certificateArn: `arn:aws:dms:${REGION}:${ACCOUNT}:cert:onprem-ca` };
const AURORA = { host: 'payments.cluster-abc.eu-west-1.rds.amazonaws.com', port: 3307, secret: secret('dms/aurora'), connections: auroraSg };
const shifter = weightedShifter(stack);
const alarm = threeMinuteAlarm(stack);
const targetGroup = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Tg', { targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/payments/0123456789abcdef` });
const database = new AuroraGlobalSecondary(stack, 'Database', { vpc, globalClusterIdentifier: 'payments-global', primaryRegion: 'us-east-1' });
const replication = new DmsReplication(stack, 'Replication', { vpc, datacenter: DATACENTER, datacenterCidrs: ['192.168.10.0/24'], aurora: AURORA, reverseReplication: true });
const writer = new DatabaseWriterParameter(stack, 'Writer', { parameterName: '/payments/database/writer' }).parameter;
const failedPayments = new cloudwatch.Metric({ namespace: 'Payments', metricName: 'FailedPaymentRate', statistic: 'Average' });

interface Call {
  /** Valid arguments; `id` is a fresh construct id. */
  readonly args: (id: string) => unknown[];
  readonly call: (args: unknown[]) => unknown;
  /** A valid value of each optional struct, given when a row sets one of its members. */
  readonly structs?: Record<string, unknown>;
}
const construct = (ctor: new (...a: any[]) => unknown, props: () => object, structs?: Record<string, unknown>): Call => ({
  args: (id) => [stack, id, props()],
  call: (args) => new ctor(...args),
  structs,
});
const factory = (fn: (...a: any[]) => unknown, args: () => unknown[]): Call => ({ args: () => args(), call: (a) => fn(...a) });

const CALLS: Record<string, Call> = {
  'new RegionalNetwork': construct(RegionalNetwork, () => ({ cidr: '10.2.0.0/16', availabilityZones: AZS }), {
    peering: { peerVpcId: 'vpc-0a1b2c3d4e5f60718', peerCidr: '10.0.0.0/16', peerRegion: 'us-east-1' },
    onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
    transitGateway: { transitGatewayId: 'tgw-0123456789abcdef0' },
  }),
  'new PaymentFleet': construct(PaymentFleet, () => ({ vpc, image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'), certificate }), { healthCheck: {} }),
  'new DmsReplication': construct(DmsReplication, () => ({ vpc, datacenter: DATACENTER, datacenterCidrs: ['192.168.10.0/24'], aurora: AURORA })),
  'new MigrationOrchestrator': construct(MigrationOrchestrator, () => ({ shifter, gates: [CutoverGate.alarm(alarm)] })),
  'new DatabaseWriterParameter': construct(DatabaseWriterParameter, () => ({ parameterName: `/payments/${nextId('w')}/writer` })),
  'CutoverGate.alarm': factory(CutoverGate.alarm, () => [alarm]),
  'CutoverGate.alarmBeforeWriterMove': factory(CutoverGate.alarmBeforeWriterMove, () => [alarm]),
  'CutoverGate.healthyTargets': factory(CutoverGate.healthyTargets, () => [targetGroup, 2]),
  'CutoverGate.auroraGlobalSecondary': factory(CutoverGate.auroraGlobalSecondary, () => [database]),
  'CutoverGate.dmsReplication': factory(CutoverGate.dmsReplication, () => [replication, {}]),
  'CutoverGate.highResolutionMetric': { args: (id) => [stack, id, { metric: failedPayments, threshold: 2 }], call: (a) => (CutoverGate.highResolutionMetric as any)(...a) },
  'CutoverSteps.linear': factory(CutoverSteps.linear, () => [4]),
  'CutoverSteps.canary': factory(CutoverSteps.canary, () => [5]),
  'CutoverSteps.of': factory(CutoverSteps.of, () => [[10, 50, 100]]),
  'CutoverSteps.fromSteps': factory(CutoverSteps.fromSteps, () => [[{ targetPercent: 10, bakeTime: Duration.minutes(5) }, { targetPercent: 100 }]]),
  'DatabaseSwitchover.auroraGlobal': factory(DatabaseSwitchover.auroraGlobal, () => [database, {}]),
  'DatabaseSwitchover.dmsWriterMove': factory(DatabaseSwitchover.dmsWriterMove, () => [replication, { writerParameter: writer }]),
};

// ------------------------------------------------------------------------------------------------------------------
// The rows: one per option and wrong value
// ------------------------------------------------------------------------------------------------------------------

/** The wrong values given for an option of each kind, and what each stands for. */
const WRONG: Partial<Record<Kind, Array<[string, unknown]>>> = {
  duration: [['a number of seconds', 300]],
  object: [['a string', 'payments']],
  struct: [['a string', 'payments']],
  array: [['one string', 'payments']],
  record: [['a string', 'payments']],
  number: [['a numeric string', '5']],
  string: [['a number', 5]],
  boolean: [['a string', 'true']],
};

/** `value` at `path` (dots: struct members, `[0]`: the first element) of a copy of `root`; structs on the way are filled in. */
function setAt(root: unknown, segments: string[], value: unknown, structs: Record<string, unknown>, done = ''): unknown {
  const [head, ...rest] = segments;
  const index = /^\[(\d+)\]$/.exec(head);
  const copy: any = index ? [...(root as unknown[])] : { ...(root as object) };
  const key = index ? Number(index[1]) : head;
  const here = index ? `${done}${head}` : `${done}${done && !done.endsWith(']') ? '.' : ''}${head}`;
  copy[key] = rest.length === 0 ? value : setAt(copy[key] ?? structs[here], rest, value, structs, here);
  return copy;
}

type ShapeRow = [string, string, (id: string) => unknown, string];

function rowsOf(signature: Signature): ShapeRow[] {
  const call = CALLS[signature.api];
  if (!call) return [];
  const rows: ShapeRow[] = [];
  const add = (option: string, what: string, index: number, segments: string[], value: unknown, named: string) => {
    rows.push([`${signature.api}: \`${option}\` as ${what}`, signature.api, (id) => {
      const args = [...call.args(id)];
      args[index] = segments.length === 0 ? value : setAt(args[index], segments, value, call.structs ?? {});
      return call.call(args);
    }, named]);
  };
  const constructor = signature.api.startsWith('new ');
  signature.params.forEach((param, i) => {
    if (constructor && i < 2) return; // scope and id: the constructs library's own
    const where = constructor ? 'props' : param.name;
    if (!param.optional) add(where, 'undefined', i, [], undefined, where);
    for (const [what, value] of WRONG[param.kind] ?? []) add(where, what, i, [], value, where);
    // a struct's members: the factories name them bare (`timeout`), the constructors too (`datacenter.host`)
    for (const m of param.members) {
      if (!m.optional) add(m.path, 'undefined', i, m.path.split('.'), undefined, m.path);
      for (const [what, value] of WRONG[m.kind] ?? []) add(m.path, what, i, m.path.split('.'), value, m.path);
    }
    // a list of structs (CutoverSteps.fromSteps): its first element's members, and the element itself
    if (param.elementMembers.length > 0) {
      add(`${param.name}[0]`, 'undefined', i, ['[0]'], undefined, `${param.name}[0]`);
      add(`${param.name}[0]`, 'a number', i, ['[0]'], 100, `${param.name}[0]`);
      for (const m of param.elementMembers) {
        const named = `${param.name}[0].${m.path}`;
        if (!m.optional) add(named, 'undefined', i, ['[0]', ...m.path.split('.')], undefined, named);
        for (const [what, value] of WRONG[m.kind] ?? []) add(named, what, i, ['[0]', ...m.path.split('.')], value, named);
      }
    }
  });
  return rows;
}

const API = publicApi();
const ROWS = API.flatMap(rowsOf);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The header every refusal starts with: the construct and its path, or the factory. */
function header(api: string, id: string): RegExp {
  return api.startsWith('new ')
    ? new RegExp(`^${api.slice(4)} initialization failed at ${stack.node.id}/${id}:\\n- `)
    : new RegExp(`^${escape(api)} failed( at ${stack.node.id}/${id})?:\\n- `);
}

describe('the battery covers the public API', () => {
  test('every public constructor and static factory of the covered files has a call here, and every call is public', () => {
    // GIVEN / WHEN
    const apis = API.map((s) => s.api).filter((api) => !/^(new (PeeringRoutes|DmsServiceRoles)|DmsReplication\.createServiceRoles|RegionalNetwork\.paymentFleetEndpoints)$/.test(api));
    // THEN
    expect([...new Set(apis)].sort()).toEqual(Object.keys(CALLS).sort());
  });

  test('the rows reach the options of every kind (the declarations were read)', () => {
    const names = ROWS.map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining([
      'new MigrationOrchestrator: `bakeTime` as a number of seconds',
      'new MigrationOrchestrator: `props` as undefined',
      'new DmsReplication: `datacenter.secret` as undefined',
      'new PaymentFleet: `healthCheck.interval` as a number of seconds',
      'new RegionalNetwork: `peering` as a string',
      'DatabaseSwitchover.dmsWriterMove: `options` as undefined',
      'DatabaseSwitchover.dmsWriterMove: `postMoveBake` as a number of seconds',
      'CutoverGate.highResolutionMetric: `metric` as a string',
      'CutoverSteps.fromSteps: `steps[0].bakeTime` as a number of seconds',
    ]));
    expect(ROWS.length).toBeGreaterThan(200);
  });
});

describe('plain JavaScript and jsii callers: a wrong shape is refused naming the option, never a TypeError', () => {
  test.each(ROWS)('%s', (_name, api, build, option) => {
    // GIVEN a fresh id
    const id = nextId('S');
    // WHEN
    const message = messageOf(() => build(id));
    // THEN
    expect(message).toMatch(header(api, id));
    expect(message).toMatch(new RegExp(`^- \`${escape(option)}\` (must|is required)`, 'm'));
    expect(message).not.toMatch(/TypeError|is not a function|Cannot read propert|undefined \(reading/);
  });
});

describe('the valid calls the rows start from are accepted', () => {
  test.each(Object.entries(CALLS))('%s', (_api, call) => {
    const id = nextId('Ok');
    expect(() => call.call(call.args(id))).not.toThrow();
  });
});
