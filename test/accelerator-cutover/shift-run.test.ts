import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { fragmentMachine, SOURCE_GROUP, TARGET_GROUP, ACCELERATOR } from './fixture';
import { AcceleratorScenario, AcceleratorWorld, Dials } from '../../src/rehearsal/accelerator-world';
import { loadLocalStepFunctions, polyfillPromiseWithResolvers } from '../../src/rehearsal/local-stepfunctions';

/**
 * The fragment's real ASL, run by aws-local-stepfunctions; every Task runs aws-cdk-lib's own CallAwsServiceCrossRegion
 * handler, whose `require('@aws-sdk/client-global-accelerator')` gets a stand-in client backed by the AcceleratorWorld.
 * So the states' parameters, the handler's payload, the package name and the error names are all exercised.
 */
const mockSdk: { world?: AcceleratorWorld; regions: string[] } = { regions: [] };

jest.mock('@aws-sdk/client-global-accelerator', () => {
  class Command {
    constructor(public readonly input: unknown) {}
  }
  class UpdateEndpointGroupCommand extends Command {}
  class DescribeEndpointGroupCommand extends Command {}
  class DescribeAcceleratorCommand extends Command {}
  class GlobalAcceleratorClient {
    constructor(config: { region: string }) {
      mockSdk.regions.push(config.region);
    }
    public async send(command: Command): Promise<unknown> {
      const name = command.constructor.name.replace(/Command$/, '');
      return { ...mockSdk.world!.call(name.charAt(0).toLowerCase() + name.slice(1), command.input), $metadata: { httpStatusCode: 200 } };
    }
  }
  return { GlobalAcceleratorClient, UpdateEndpointGroupCommand, DescribeEndpointGroupCommand, DescribeAcceleratorCommand };
}, { virtual: true });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require(path.join(path.dirname(require.resolve('aws-cdk-lib')),
  'custom-resource-handlers', 'dist', 'aws-stepfunctions-tasks', 'cross-region-aws-sdk-handler', 'index.js'));

polyfillPromiseWithResolvers();
const { StateMachine } = loadLocalStepFunctions();

interface Run {
  readonly output?: any;
  readonly error?: string;
  /** After every call: the dials configured and in effect at the edge, and the target's share of new connections. */
  readonly samples: Array<{ t: number; configured: Dials; dials: Dials; share: number }>;
}

/** Runs `asl` against `world` on the virtual clock: each call takes 0.1 s, a Wait its seconds, retries wait 0. */
async function run(asl: any, world: AcceleratorWorld, clock: { t: number }): Promise<Run> {
  mockSdk.world = world;
  const definition = JSON.parse(JSON.stringify(asl));
  const handlers: Record<string, (input: any) => Promise<any>> = {};
  const retries: Record<string, number> = {};
  const samples: Run['samples'] = [];
  const sample = () =>
    samples.push({ t: clock.t, configured: world.configuredDials(), dials: world.inEffectDials(), share: world.observedTargetShare() });
  for (const [name, state] of Object.entries<any>(definition.States)) {
    if (state.Retry) retries[name] = 0;
    if (state.Type === 'Wait') {
      const seconds = state.Seconds;
      delete state.Seconds;
      Object.assign(state, { Type: 'Task', Resource: 'arn:aws:lambda:us-west-2:111111111111:function:wait' });
      handlers[name] = async (input) => {
        clock.t += seconds;
        sample();
        return input;
      };
    } else if (state.Type === 'Task') {
      handlers[name] = async (input) => {
        clock.t += 0.1;
        try {
          return await handler(input);
        } finally {
          sample();
        }
      };
    }
  }
  const execution = new StateMachine(definition, { validationOptions: { checkArn: false } }).run({}, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retries },
  });
  try {
    return { output: await execution.result, samples };
  } catch (e: any) {
    return { error: e?.cause?.name ?? e?.name, samples };
  }
}

function worldOf(scenario: AcceleratorScenario): { world: AcceleratorWorld; clock: { t: number } } {
  const clock = { t: 0 };
  const world = new AcceleratorWorld(scenario, () => clock.t, () => undefined, {
    sourceEndpointGroupArn: SOURCE_GROUP, targetEndpointGroupArn: TARGET_GROUP, acceleratorArn: ACCELERATOR,
  });
  return { world, clock };
}

const updates = (world: AcceleratorWorld) => world.updates.map((u) => `${u.side} ${u.dial}`);

beforeEach(() => {
  mockSdk.regions = [];
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('the shift fragment, run against the model of Global Accelerator', () => {
  test('a first step (25 %): the target dial up first, then the source down; Shifted once both are read back and DEPLOYED', async () => {
    // GIVEN 60 % of the clients nearer the source, 30 s to deploy
    const { world, clock } = worldOf({ deploySeconds: 30, sourceNearShare: 0.6 });
    // WHEN
    const result = await run(fragmentMachine(25).asl, world, clock);
    // THEN
    expect(result.error).toBeUndefined();
    expect(updates(world)).toEqual(['target 25', 'source 75']);
    expect(result.output.shift.change).toEqual({ TargetDialBefore: 0, RaisedFirst: 'target', Polls: 6, SourceDial: 75, TargetDial: 25, Status: 'DEPLOYED' });
    expect(clock.t).toBeGreaterThanOrEqual(world.updates[1].t + 30);
    expect(world.inEffectDials()).toEqual({ source: 75, target: 25 });
    // never outside the old (0 %) and the new (25 %) share
    for (const s of result.samples) expect(s.share).toBeGreaterThanOrEqual(0);
    for (const s of result.samples) expect(s.share).toBeLessThanOrEqual(0.25 + 1e-9);
    expect(result.samples[result.samples.length - 1].share).toBeCloseTo(0.25, 10);
    // every call went through the handler to us-west-2
    expect(mockSdk.regions.length).toBe(world.calls.length);
    expect(new Set(mockSdk.regions)).toEqual(new Set(['us-west-2']));
  });

  test('a rollback (50 % → 0 %): the source dial up first, then the target down', async () => {
    // GIVEN traffic at 50 %, deployed
    const { world, clock } = worldOf({ deploySeconds: 10, sourceNearShare: 0.3 });
    world.call('updateEndpointGroup', { EndpointGroupArn: TARGET_GROUP, TrafficDialPercentage: 50 });
    world.call('updateEndpointGroup', { EndpointGroupArn: SOURCE_GROUP, TrafficDialPercentage: 50 });
    clock.t = 100;
    // WHEN
    const result = await run(fragmentMachine(0).asl, world, clock);
    // THEN
    expect(result.output.shift.change).toMatchObject({ TargetDialBefore: 50, RaisedFirst: 'source', SourceDial: 100, TargetDial: 0, Status: 'DEPLOYED' });
    expect(updates(world).slice(2)).toEqual(['source 100', 'target 0']);
    for (const s of result.samples) expect(s.share).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(world.observedTargetShare()).toBe(0);
  });

  test('all at once (0 → 100 %): the state in between is 100/100 (proximity), never 0/0', async () => {
    const { world, clock } = worldOf({ deploySeconds: 5 });
    const result = await run(fragmentMachine(100).asl, world, clock);
    expect(result.output.shift.change).toMatchObject({ SourceDial: 0, TargetDial: 100, Status: 'DEPLOYED' });
    expect(updates(world)).toEqual(['target 100', 'source 0']);
    expect(result.samples.map((s) => s.configured)).toContainEqual({ source: 100, target: 100 });
    for (const dials of result.samples.flatMap((s) => [s.configured, s.dials])) expect(dials).not.toEqual({ source: 0, target: 0 });
  });

  test('throttled calls surface as ThrottlingException through the handler and are retried', async () => {
    const { world, clock } = worldOf({ deploySeconds: 5, throttles: 4 });
    const result = await run(fragmentMachine(25).asl, world, clock);
    expect(result.output.shift.change).toMatchObject({ SourceDial: 75, TargetDial: 25, Status: 'DEPLOYED' });
    expect(world.calls.slice(0, 5)).toEqual(Array(5).fill('describeEndpointGroup'));
    expect(updates(world)).toEqual(['target 25', 'source 75']);
  });

  test('an update that never deploys: NotInEffect after the timeout\'s polls', async () => {
    const { world, clock } = worldOf({ deploySeconds: 5, stuckUpdates: [2] });
    const result = await run(fragmentMachine(25, { pollInterval: Duration.seconds(5), timeout: Duration.seconds(30) }).asl, world, clock);
    expect(result.error).toBe('AcceleratorCutover.NotInEffect');
    expect(world.calls.filter((c) => c === 'describeAccelerator')).toHaveLength(6);
    expect(world.inEffectDials()).toEqual({ source: 100, target: 25 });
  });

  test('a split of two zero dials fails InvalidSplit before any call', async () => {
    const { world, clock } = worldOf({});
    const result = await run(fragmentMachine({ sourceWeight: 0, targetWeight: 0 }).asl, world, clock);
    expect(result.error).toBe('AcceleratorCutover.InvalidSplit');
    expect(world.calls).toEqual([]);
  });
});
