import { SOURCE_GROUP, TARGET_GROUP, ACCELERATOR } from './fixture';
import { AcceleratorScenario, AcceleratorWorld, targetShareOf } from '../../src/rehearsal/accelerator-world';

const GROUPS = { sourceEndpointGroupArn: SOURCE_GROUP, targetEndpointGroupArn: TARGET_GROUP, acceleratorArn: ACCELERATOR };

function worldOf(scenario: AcceleratorScenario = {}): { world: AcceleratorWorld; clock: { t: number }; lines: string[] } {
  const clock = { t: 0 };
  const lines: string[] = [];
  const world = new AcceleratorWorld(scenario, () => clock.t, (actor, text) => lines.push(`${actor}: ${text}`), GROUPS);
  return { world, clock, lines };
}

function errorOf(f: () => unknown): { name: string; message: string } {
  try {
    f();
  } catch (e: any) {
    return { name: e.name, message: e.message };
  }
  throw new Error('expected an error');
}

const set = (world: AcceleratorWorld, arn: string, dial: number) => world.call('updateEndpointGroup', { EndpointGroupArn: arn, TrafficDialPercentage: dial });

describe('targetShareOf: the share of new connections on the target, by proximity', () => {
  const shares = [0, 0.1, 0.35, 0.6, 0.9, 1];

  test.each(shares)('dials 100−p / p give p %% whatever the clients\' geography (sourceNearShare %p)', (near) => {
    for (let p = 0; p <= 100; p += 5) {
      expect(targetShareOf({ source: 100 - p, target: p }, near)).toBeCloseTo(p / 100, 10);
    }
  });

  test('a source-only dial (target left at 100) does not: the target-near clients are all on the target from the first step', () => {
    // 10 %: 60 % of the clients are nearer the source, 10 % of them overflow; the other 40 % all stay on the target
    expect(targetShareOf({ source: 90, target: 100 }, 0.6)).toBeCloseTo(0.46, 10);
    expect(targetShareOf({ source: 100, target: 100 }, 0.6)).toBeCloseTo(0.4, 10);
    for (const near of shares.filter((n) => n < 1)) {
      for (let p = 5; p < 100; p += 5) {
        expect(targetShareOf({ source: 100 - p, target: 100 }, near)).toBeGreaterThan(p / 100);
      }
    }
  });

  test('traffic turned away by one dial stays on its nearest group when the other group is dialled to 0 (the model\'s assumption)', () => {
    expect(targetShareOf({ source: 50, target: 0 }, 0.6)).toBe(0);
    expect(targetShareOf({ source: 0, target: 50 }, 0.6)).toBe(1);
    expect(targetShareOf({ source: 0, target: 0 }, 0.6)).toBeCloseTo(0.4, 10);
  });
});

describe('AcceleratorWorld', () => {
  test('starts at source 100 / target 0, DEPLOYED, no traffic on the target', () => {
    const { world } = worldOf();
    expect(world.inEffectDials()).toEqual({ source: 100, target: 0 });
    expect(world.status()).toBe('DEPLOYED');
    expect(world.observedTargetShare()).toBe(0);
  });

  test('an update is configured at once, in effect (and DEPLOYED) only after deploySeconds', () => {
    // GIVEN
    const { world, clock, lines } = worldOf({ deploySeconds: 20, sourceNearShare: 0.7 });
    // WHEN
    const answer = set(world, TARGET_GROUP, 25);
    set(world, SOURCE_GROUP, 75);
    // THEN
    expect(answer).toEqual({ EndpointGroup: { EndpointGroupArn: TARGET_GROUP, TrafficDialPercentage: 25 } });
    expect(world.call('describeEndpointGroup', { EndpointGroupArn: TARGET_GROUP }).EndpointGroup.TrafficDialPercentage).toBe(25);
    expect(world.configuredDials()).toEqual({ source: 75, target: 25 });
    expect(world.inEffectDials()).toEqual({ source: 100, target: 0 });
    expect(world.call('describeAccelerator', { AcceleratorArn: ACCELERATOR }).Accelerator.Status).toBe('IN_PROGRESS');
    clock.t = 19.9;
    expect(world.status()).toBe('IN_PROGRESS');
    clock.t = 20;
    expect(world.inEffectDials()).toEqual({ source: 75, target: 25 });
    expect(world.call('describeAccelerator', { AcceleratorArn: ACCELERATOR })).toEqual({ Accelerator: { AcceleratorArn: ACCELERATOR, Enabled: true, Status: 'DEPLOYED' } });
    expect(world.observedTargetShare()).toBeCloseTo(0.25, 10);
    expect(world.updates.map((u) => [u.ordinal, u.side, u.dial, u.deployAt])).toEqual([[1, 'target', 25, 20], [2, 'source', 75, 20]]);
    expect(lines).toEqual(['accelerator: UpdateEndpointGroup #1: target dial 25', 'accelerator: UpdateEndpointGroup #2: source dial 75']);
  });

  test('deploySeconds defaults to 30 (an assumption: AWS documents no figure)', () => {
    const { world, clock } = worldOf();
    set(world, TARGET_GROUP, 10);
    clock.t = 29;
    expect(world.inEffectDials().target).toBe(0);
    clock.t = 30;
    expect(world.inEffectDials().target).toBe(10);
  });

  test('a stuck update never takes effect and keeps the accelerator IN_PROGRESS, until a later update of its group replaces it', () => {
    // GIVEN
    const { world, clock } = worldOf({ deploySeconds: 10, stuckUpdates: [1] });
    // WHEN
    set(world, TARGET_GROUP, 25);
    clock.t = 1000;
    // THEN
    expect(world.status()).toBe('IN_PROGRESS');
    expect(world.inEffectDials()).toEqual({ source: 100, target: 0 });
    expect(world.updates[0].deployAt).toBeUndefined();
    // WHEN the rollback sets the target again
    set(world, TARGET_GROUP, 0);
    expect(world.status()).toBe('IN_PROGRESS');
    clock.t = 1010;
    expect(world.status()).toBe('DEPLOYED');
    expect(world.inEffectDials()).toEqual({ source: 100, target: 0 });
  });

  test('throttles the first calls with the name Step Functions reports through CallAwsServiceCrossRegion', () => {
    const { world, lines } = worldOf({ throttles: 2 });
    expect(errorOf(() => world.call('describeAccelerator', { AcceleratorArn: ACCELERATOR }))).toEqual({ name: 'ThrottlingException', message: 'Rate exceeded' });
    expect(errorOf(() => set(world, TARGET_GROUP, 5)).name).toBe('ThrottlingException');
    expect(set(world, TARGET_GROUP, 5).EndpointGroup.TrafficDialPercentage).toBe(5);
    expect(world.calls).toEqual(['describeAccelerator', 'updateEndpointGroup', 'updateEndpointGroup']);
    expect(world.updates).toHaveLength(1);
    expect(lines.filter((l) => /throttles/.test(l))).toHaveLength(2);
  });

  test.each([
    ['a member in the wrong casing', 'updateEndpointGroup', { EndpointGroupArn: TARGET_GROUP, trafficDialPercentage: 5 }, 'InvalidArgumentException', /unknown member\(s\) trafficDialPercentage/],
    ['a member the model does not simulate', 'updateEndpointGroup', { EndpointGroupArn: TARGET_GROUP, EndpointConfigurations: [] }, 'InvalidArgumentException', /EndpointConfigurations/],
    ['a dial above 100', 'updateEndpointGroup', { EndpointGroupArn: TARGET_GROUP, TrafficDialPercentage: 101 }, 'InvalidArgumentException', /from 0 to 100, got: 101/],
    ['a dial as a string', 'updateEndpointGroup', { EndpointGroupArn: TARGET_GROUP, TrafficDialPercentage: '5' }, 'InvalidArgumentException', /got: "5"/],
    ['another endpoint group', 'describeEndpointGroup', { EndpointGroupArn: `${ACCELERATOR}/listener/0123abcd/endpoint-group/cccc3333` }, 'EndpointGroupNotFoundException', /cccc3333 not found/],
    ['another accelerator', 'describeAccelerator', { AcceleratorArn: `${ACCELERATOR}x` }, 'AcceleratorNotFoundException', /not found/],
    ['an action it does not know', 'describeListener', {}, 'Error', /Unable to find command named: describeListener/],
  ])('refuses %s', (_what, action, parameters, name, message) => {
    const { world } = worldOf();
    const error = errorOf(() => world.call(action, parameters));
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
    expect(world.updates).toEqual([]);
  });

  test('invoke takes the cross-Region handler\'s event, only for the global-accelerator package in us-west-2', () => {
    const { world } = worldOf();
    const event = { region: 'us-west-2', service: 'global-accelerator', action: 'describeEndpointGroup', parameters: { EndpointGroupArn: SOURCE_GROUP } };
    expect(world.invoke(event))
      .toEqual({ EndpointGroup: { EndpointGroupArn: SOURCE_GROUP, TrafficDialPercentage: 100 }, $metadata: { httpStatusCode: 200 } });
    expect(errorOf(() => world.invoke({ ...event, service: 'globalaccelerator' })))
      .toEqual({ name: 'Error', message: 'Cannot find module \'@aws-sdk/client-globalaccelerator\'' });
    expect(errorOf(() => world.invoke({ ...event, region: 'eu-west-1' })).message).toMatch(/ENOTFOUND globalaccelerator\.eu-west-1/);
    expect(world.parameterErrors).toHaveLength(2);
  });

  test.each([[{ sourceNearShare: 1.5 }, /^AcceleratorScenario.sourceNearShare must be between 0 and 1, got: 1.5$/], [{ deploySeconds: -1 }, /^AcceleratorScenario.deploySeconds must not be negative, got: -1$/]])(
    'refuses the scenario %p', (scenario, message) => {
      expect(() => worldOf(scenario)).toThrow(message);
    });
});
