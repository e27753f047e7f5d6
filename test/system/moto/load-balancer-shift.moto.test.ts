/*
 * Load-balancer shifting (LoadBalancerCutover on the datacenter path) against moto with the real awscli: the fleet's
 * ALB, its HTTPS listener and the two target groups (legacy servers by IP, the fleet's) seeded in moto from the
 * synthesized template; the runbook's break-glass command run as an operator would paste it; and the cutover state
 * machine's own ModifyListener → DescribeListeners → InEffect? chain run (aws-local-stepfunctions) with its two tasks
 * sent to moto as the SDK integration would send them (`--cli-input-json`: the API's member names, checked by the
 * awscli against the ELBv2 model before anything is sent).
 *
 * What moto 5.2.1 models here: ModifyListener/DescribeListeners with a weighted ForwardConfig (TargetGroups with
 * Weight, TargetGroupStickinessConfig) stored and returned member for member, in the order sent. What it does not:
 * any validation of a weighted forward — it accepts weights outside 0–999, all weights 0, a target group twice, and a
 * TargetGroupArn that does not exist (see the last test). So these tests prove the shape of the requests and of the
 * read-back, not that AWS would accept every split; the 0–999 bound is the state machine's own ValidateSplit.
 */
import { resolve } from './cfn';
import { MotoServer, startMoto } from './moto-server';
import { commandsOf, isUsageError, operationOf, referencedIds, requireAwsCli, seedAws, shell, Template } from './runbook';
import { TrafficShifting } from '../../../src';
import { loadLocalStepFunctions, polyfillPromiseWithResolvers } from '../../../src/rehearsal/local-stepfunctions';
import { onPremises } from '../../payment-migration/fixtures';

jest.setTimeout(120_000);

const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';
const LEGACY = ['192.168.10.31', '192.168.10.32'];
const NOT_STICKY = { Enabled: false };
const STICKY = { Enabled: true, DurationSeconds: 300 };

let moto: MotoServer;
let template: Template;
/** Logical ids of what the shift touches. */
let ids: { loadBalancer: string; listener: string; legacy: string; fleet: string };
/** Logical id (and `id.Attribute`) → what moto created. */
const refs: Record<string, string> = {};
let rollbackSection: string;

const elb = (args: string[], region = REGION) => seedAws(moto, region, ['elbv2', ...args]);
const defaultActions = () => elb(['describe-listeners', '--listener-arns', refs[ids.listener]]).Listeners[0].DefaultActions;
const setListener = (actions: unknown[]) => elb(['modify-listener', '--listener-arn', refs[ids.listener], '--default-actions', JSON.stringify(actions)]);
const group = (side: 'legacy' | 'fleet', weight: number) => ({ TargetGroupArn: refs[ids[side]], Weight: weight });
/** One weighted forward, legacy listed first (as the construct lists source, then target). */
const forward = (legacy: number, fleet: number, stickiness: object = NOT_STICKY) => [{
  Type: 'forward',
  ForwardConfig: { TargetGroups: [group('legacy', legacy), group('fleet', fleet)], TargetGroupStickinessConfig: stickiness },
}];

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected one ${what}, found ${items.length}: ${JSON.stringify(items)}`);
  return items[0];
}

const ofType = (type: string) => Object.keys(template.Resources).filter((k) => template.Resources[k].Type === type);
const props = (id: string) => template.Resources[id].Properties ?? {};
const pick = (o: Record<string, any>, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

beforeAll(async () => {
  requireAwsCli();
  template = onPremises(() => ({ shifting: TrafficShifting.loadBalancer({ legacyTargets: LEGACY }) })).template.toJSON() as Template;
  const listener = only(ofType('AWS::ElasticLoadBalancingV2::Listener').filter((k) => props(k).Protocol === 'HTTPS'), 'HTTPS listener');
  const groups = ofType('AWS::ElasticLoadBalancingV2::TargetGroup');
  ids = {
    listener,
    loadBalancer: props(listener).LoadBalancerArn.Ref,
    legacy: only(groups.filter((k) => props(k).TargetType === 'ip'), 'IP target group'),
    fleet: only(groups.filter((k) => props(k).TargetType !== 'ip'), 'other target group'),
  };
  moto = await startMoto();

  // The network the load balancer sits in: the template's VPC and the load balancer's subnets
  const vpcId = props(ids.fleet).VpcId.Ref as string;
  refs[vpcId] = seedAws(moto, REGION, ['ec2', 'create-vpc', '--cidr-block', props(vpcId).CidrBlock]).Vpc.VpcId;
  const subnets = (props(ids.loadBalancer).Subnets as Array<{ Ref: string }>).map((s) => s.Ref);
  expect(subnets.length).toBeGreaterThanOrEqual(2);
  for (const s of subnets) {
    refs[s] = seedAws(moto, REGION, ['ec2', 'create-subnet', '--vpc-id', refs[vpcId],
      '--cidr-block', props(s).CidrBlock, '--availability-zone', props(s).AvailabilityZone]).Subnet.SubnetId;
  }
  refs[ids.loadBalancer] = elb(['create-load-balancer', '--name', 'payments', '--type', 'application',
    '--scheme', props(ids.loadBalancer).Scheme, '--subnets', ...subnets.map((s) => refs[s])]).LoadBalancers[0].LoadBalancerArn;
  for (const [side, name] of [[ids.legacy, 'payments-legacy'], [ids.fleet, 'payments-fleet']]) {
    const p = props(side);
    const request = { Name: name, VpcId: refs[vpcId], ...pick(p, 'Protocol', 'Port', 'TargetType', 'HealthCheckProtocol', 'HealthCheckPath') };
    refs[side] = elb(['create-target-group', '--cli-input-json', JSON.stringify(request)]).TargetGroups[0].TargetGroupArn;
  }
  // moto's CreateListener looks the certificate up in its ACM: the template's (imported by ARN) is replaced by one of
  // moto's. Everything else is the template's listener, its weighted default action included.
  const certificate = seedAws(moto, REGION, ['acm', 'request-certificate', '--domain-name', 'api.pay.example.com']).CertificateArn;
  const l = resolve(props(ids.listener), refs, { region: REGION });
  const request = { ...pick(l, 'LoadBalancerArn', 'Protocol', 'Port', 'SslPolicy', 'DefaultActions'), Certificates: [{ CertificateArn: certificate }] };
  refs[ids.listener] = elb(['create-listener', '--cli-input-json', JSON.stringify(request)]).Listeners[0].ListenerArn;

  const output = only(Object.entries(template.Outputs ?? {}).filter(([k]) => /^MigrationRunbookManualRollback/.test(k)), 'RunbookManualRollback output');
  rollbackSection = resolve(output[1].Value, refs, { region: REGION });
});

afterAll(async () => {
  await moto?.stop();
});

test('moto holds the template\'s listener: one weighted forward, legacy 100, fleet 0', () => {
  expect(refs[ids.listener]).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:111111111111:listener/app/payments/`));
  expect(elb(['describe-target-groups', '--target-group-arns', refs[ids.legacy]]).TargetGroups[0].TargetType).toBe('ip');
  // The template gives no stickiness config; moto (like ELB) reports it disabled
  expect(defaultActions()).toEqual(forward(100, 0));
});

test('the manual rollback is one command line, naming only the listener and the two target groups', () => {
  const output = Object.entries(template.Outputs ?? {}).find(([k]) => /^MigrationRunbookManualRollback/.test(k))![1];
  expect([...referencedIds(output.Value)].sort()).toEqual([ids.listener, ids.legacy, ids.fleet].sort());
  expect(commandsOf(rollbackSection).map((c) => Object.values(operationOf(c)).join(' '))).toEqual(['elbv2 modify-listener']);
});

test('manual rollback: from fleet 100 (sticky), the command sets legacy 100 / fleet 0, stickiness off, and prints both reads', () => {
  setListener(forward(0, 100, STICKY));
  expect(defaultActions()).toEqual(forward(0, 100, STICKY));

  const back = shell(moto, only(commandsOf(rollbackSection), 'command'), REGION);

  expect(isUsageError(back)).toBe(false);
  expect([back.status, back.stderr]).toEqual([0, '']);
  expect(defaultActions()).toEqual(forward(100, 0));
  // Both tables (ModifyListener's answer, then DescribeListeners') show legacy 100 and fleet 0
  const row = (arn: string, weight: number) => new RegExp(`\\|\\s+${arn.replace(/[/.]/g, '\\$&')}\\s+\\|\\s+${weight}\\s+\\|`, 'g');
  expect(back.stdout.match(/ModifyListener|DescribeListeners/g)).toEqual(['ModifyListener', 'DescribeListeners']);
  expect(back.stdout.match(row(refs[ids.legacy], 100))?.length).toBe(2);
  expect(back.stdout.match(row(refs[ids.fleet], 0))?.length).toBe(2);
});

/*
 * The listener lives in us-east-1; the awscli sends to its configured region, whatever region the ARN names. An
 * operator whose CLI is set to another region (the other side of a target-region migration, say) reaches no listener
 * unless the command names its region.
 */
test('from an operator\'s CLI set to eu-west-1, the manual rollback still reaches the listener in us-east-1', () => {
  setListener(forward(0, 100));
  const back = shell(moto, only(commandsOf(rollbackSection), 'command'), OTHER_REGION);
  expect([back.status, back.stderr]).toEqual([0, '']);
  expect(defaultActions()).toEqual(forward(100, 0));
});

describe('the cutover state machine\'s listener shift, its tasks sent to moto', () => {
  /** Every state of the cutover machine, by name (Parallel branches and Maps included). */
  let states: Record<string, any>;
  /** What the ModifyListener task sent. */
  const sent: any[] = [];
  const STEP = 'Step 2 (50%)';

  beforeAll(() => {
    const cutover = only(ofType('AWS::StepFunctions::StateMachine')
      .filter((k) => JSON.stringify(props(k).DefinitionString).includes('Payment migration cutover')), 'cutover state machine');
    // Only the listener, its load balancer and the target groups are seeded; every other reference gets a marker
    // that the states used below must not contain.
    const anyRef = new Proxy(refs, { get: (t, key: string) => t[key] ?? `unseeded:${key}` });
    const asl = JSON.parse(resolve(props(cutover).DefinitionString, anyRef, { region: REGION }));
    states = {};
    const walk = (s: Record<string, any>) => {
      for (const [name, state] of Object.entries(s)) {
        states[name] = state;
        (state.Branches ?? []).forEach((b: any) => walk(b.States));
        if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator).States);
      }
    };
    walk(asl.States);
  });

  /**
   * The shift of one step, alone: ModifyListener → DescribeListeners → CountPoll → InEffect? (→ WaitForListener →
   * DescribeListeners …) → Shifted | NotInEffect, the two tasks answered by moto through the awscli.
   */
  function shiftChain(startAt: 'ModifyListener' | 'DescribeListeners') {
    const names = ['ModifyListener', 'DescribeListeners', 'CountPoll', 'InEffect?', 'WaitForListener', 'Shifted', 'NotInEffect'].map((n) => `${STEP} ${n}`);
    const chain: Record<string, any> = Object.fromEntries(names.map((n) => [n, JSON.parse(JSON.stringify(states[n]))]));
    expect(JSON.stringify(chain)).not.toContain('unseeded:');
    // Started at the read-back, the change is not part of the chain (an unreachable state is invalid ASL)
    if (startAt !== 'ModifyListener') delete chain[`${STEP} ModifyListener`];
    delete chain[`${STEP} Shifted`].Next;
    chain[`${STEP} Shifted`].End = true;
    const cli = (operation: string, params: unknown) => elb([operation, '--cli-input-json', JSON.stringify(params)]);
    polyfillPromiseWithResolvers();
    const { StateMachine } = loadLocalStepFunctions();
    return (input: unknown) => new StateMachine({ StartAt: `${STEP} ${startAt}`, States: chain }, { validationOptions: { checkArn: false } }).run(input, {
      overrides: {
        taskResourceLocalHandlers: {
          [`${STEP} ModifyListener`]: async (params: any) => {
            sent.push(params);
            return cli('modify-listener', params);
          },
          [`${STEP} DescribeListeners`]: async (params: any) => cli('describe-listeners', params),
        },
        waitTimeOverrides: { [`${STEP} WaitForListener`]: 0 },
        retryIntervalOverrides: { [`${STEP} ModifyListener`]: 0, [`${STEP} DescribeListeners`]: 0 },
      },
    }).result;
  }

  test('every ModifyListener of the cutover sends the same parameters: this listener, legacy then fleet, weights from $.split, stickiness off', () => {
    const modifies = Object.entries(states).filter(([, s]) => /:aws-sdk:elasticloadbalancingv2:modifyListener$/.test(s.Resource ?? ''));
    expect(modifies.map(([name]) => name)).toEqual(expect.arrayContaining([`${STEP} ModifyListener`, 'Rollback ModifyListener']));
    for (const [, s] of modifies) {
      expect(s.Parameters).toEqual({
        ListenerArn: refs[ids.listener],
        DefaultActions: [{
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { 'TargetGroupArn': refs[ids.legacy], 'Weight.$': '$.split.sourceWeight' },
              { 'TargetGroupArn': refs[ids.fleet], 'Weight.$': '$.split.targetWeight' },
            ],
            TargetGroupStickinessConfig: NOT_STICKY,
          },
        }],
      });
    }
  });

  test('60/40: moto takes every member of ModifyListener, DescribeListeners shows them, and InEffect? passes on the first read', async () => {
    setListener(forward(100, 0, STICKY));

    const result = await shiftChain('ModifyListener')({ split: { sourceWeight: 60, targetWeight: 40 } });

    // Step Functions filled the Weight.$ paths with numbers, and the awscli accepted the members as the API's
    expect(sent).toEqual([{ ListenerArn: refs[ids.listener], DefaultActions: forward(60, 40) }]);
    // moto kept every member (stickiness turned off from the sticky state before), groups in the order sent:
    // legacy first, the first of the Choice's two accepted orders
    expect(defaultActions()).toEqual(forward(60, 40));
    expect(result.shift.change).toEqual({ Polls: 1, Latest: { Actions: forward(60, 40) } });
  });

  test('the read-back accepts the groups in the other order (fleet first), as moto returns them when so stored', async () => {
    setListener([{ Type: 'forward', ForwardConfig: { TargetGroups: [group('fleet', 40), group('legacy', 60)], TargetGroupStickinessConfig: NOT_STICKY } }]);

    const result = await shiftChain('DescribeListeners')({ split: { sourceWeight: 60, targetWeight: 40 }, shift: { change: { Polls: 0 } } });

    const shown = result.shift.change.Latest.Actions[0].ForwardConfig.TargetGroups;
    expect(shown).toEqual([group('fleet', 40), group('legacy', 60)]);
    expect(result.shift.change.Polls).toBe(1);
  });

  test.each([
    ['other weights', () => forward(70, 30)],
    ['a third group', () => [{
      Type: 'forward',
      ForwardConfig: { TargetGroups: [group('legacy', 60), group('fleet', 40), group('fleet', 0)], TargetGroupStickinessConfig: NOT_STICKY },
    }]],
    ['the legacy group alone', () => [{ Type: 'forward', TargetGroupArn: refs[ids.legacy] }]],
  ])('the read-back refuses what moto shows when it is not the split (%s): NotInEffect on the last poll', async (_what, actions) => {
    setListener(actions());

    const run = shiftChain('DescribeListeners')({ split: { sourceWeight: 60, targetWeight: 40 }, shift: { change: { Polls: 29 } } });

    await expect(run).rejects.toThrow(/LoadBalancerCutover\.NotInEffect|did not show the new weights/);
  });
});

/*
 * What moto does not model: the load balancer's validation of a weighted forward. AWS refuses a weight above 999 and
 * a target group that does not exist; moto stores both. If a moto upgrade starts refusing them, the comment at the
 * top of this file is out of date.
 */
test('moto stores a weighted forward AWS would refuse (weight 1000, a target group that does not exist)', () => {
  const missing = refs[ids.fleet].replace(/\/[0-9a-f]+$/, '/0000000000000000');
  setListener([{ Type: 'forward', ForwardConfig: { TargetGroups: [group('legacy', 1000), { TargetGroupArn: missing, Weight: 0 }] } }]);
  expect(defaultActions()[0].ForwardConfig.TargetGroups).toEqual([group('legacy', 1000), { TargetGroupArn: missing, Weight: 0 }]);
});
