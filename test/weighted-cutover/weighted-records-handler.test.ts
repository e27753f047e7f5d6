import { readFileSync } from 'fs';
import { createRequire } from 'module';
import type { CloudFormationCustomResourceDeleteEvent, CloudFormationCustomResourceEvent } from 'aws-lambda';
import { bundleHandler } from './bundle';
import { FakeRoute53, route53Error } from './fake-route53';
import { CfnResponse, handleEvent, HandlerDeps, parseProperties, physicalIdFor } from '../../src/weighted-cutover/weighted-records-handler';
import { HandlerSubject, recorded, Recorded, testBackoffThenSuccess, testDeleteOfNothing } from '../support/handler';

const ZONE = 'Z0123456789ABC';
const NAMES = ['api.pay.example.com', 'checkout.pay.example.com'];
const ALB = { HostedZoneId: 'Z32O12XQLNTSW2', DNSName: 'payments-123.eu-west-1.elb.amazonaws.com', EvaluateTargetHealth: 'true' };

/** Custom-resource properties as CloudFormation delivers them: every scalar a string. */
function properties(opts: { names?: string[]; ttl?: string; albDns?: string; sourceId?: string; initial?: [string, string] } = {}) {
  const names = opts.names ?? NAMES;
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:records',
    HostedZoneId: ZONE,
    InitialWeights: { Source: (opts.initial ?? ['100', '0'])[0], Target: (opts.initial ?? ['100', '0'])[1] },
    Records: names.flatMap((name) => [
      {
        Side: 'source',
        Record: {
          Name: name,
          Type: 'A',
          SetIdentifier: opts.sourceId ?? 'source',
          TTL: opts.ttl ?? '60',
          ResourceRecords: [{ Value: '203.0.113.10' }],
          HealthCheckId: 'hc-source',
        },
      },
      {
        Side: 'target',
        Record: { Name: name, Type: 'A', SetIdentifier: 'target', AliasTarget: { ...ALB, DNSName: opts.albDns ?? ALB.DNSName }, HealthCheckId: 'hc-target' },
      },
    ]),
  };
}

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:records',
  ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Target/1',
  RequestId: 'req-1',
  LogicalResourceId: 'CutoverRecords',
  ResourceType: 'Custom::WeightedRecords',
};
const PHYSICAL_ID = `${ZONE}:${NAMES.join(',')}`;

function createEvent(props = properties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Create', ResourceProperties: props };
}
function updateEvent(next: ReturnType<typeof properties>, old = properties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Update', PhysicalResourceId: PHYSICAL_ID, ResourceProperties: next, OldResourceProperties: old };
}
function deleteEvent(props: Record<string, unknown> = properties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Delete', PhysicalResourceId: PHYSICAL_ID, ResourceProperties: { ServiceToken: common.ServiceToken, ...props } };
}

interface Harness extends Recorded<CfnResponse> {
  route53: FakeRoute53;
  deps: HandlerDeps;
}

function harness(): Harness {
  const route53 = new FakeRoute53(ZONE);
  const { sent, sleeps, deps: recording } = recorded<CfnResponse>(120_000);
  return { route53, deps: { ...recording, api: route53 }, sent, sleeps };
}

/** This handler as the shared handler cases see it. */
const subject: HandlerSubject<Harness, FakeRoute53> = { harness, fake: (h) => h.route53, create: (h) => handleEvent(createEvent(), h.deps) };

/** The live weights by `<side set id>@<name>`. */
function weights(route53: FakeRoute53): Record<string, number | undefined> {
  return Object.fromEntries(route53.all().map((r) => [`${r.SetIdentifier}@${r.Name}`, r.Weight]));
}

/** Seeds the zone as the handler created it, then moves traffic to `target` percent (as the orchestrator would). */
async function createdAndShifted(h: Harness, targetWeight: number): Promise<void> {
  await handleEvent(createEvent(), h.deps);
  for (const r of h.route53.all()) {
    h.route53.seed({ ...r, Weight: r.SetIdentifier === 'target' ? targetWeight : 100 - targetWeight });
  }
  h.route53.batches.length = 0;
}

describe('Create', () => {
  test('CREATEs source and target of every name with the initial weights in one batch, waits for INSYNC, answers SUCCESS', async () => {
    // GIVEN
    const h = harness();
    // WHEN
    const response = await handleEvent(createEvent(), h.deps);
    // THEN
    expect(h.route53.batches).toHaveLength(1);
    const changes = h.route53.batches[0].Changes;
    expect(changes.map((c) => [c.Action, c.ResourceRecordSet.Name, c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight])).toEqual([
      ['CREATE', 'api.pay.example.com', 'source', 100],
      ['CREATE', 'api.pay.example.com', 'target', 0],
      ['CREATE', 'checkout.pay.example.com', 'source', 100],
      ['CREATE', 'checkout.pay.example.com', 'target', 0],
    ]);
    // CloudFormation's strings are typed back: TTL a number, EvaluateTargetHealth a boolean
    expect(changes[0].ResourceRecordSet).toEqual({
      Name: 'api.pay.example.com',
      Type: 'A',
      SetIdentifier: 'source',
      TTL: 60,
      ResourceRecords: [{ Value: '203.0.113.10' }],
      HealthCheckId: 'hc-source',
      Weight: 100,
    });
    expect(changes[1].ResourceRecordSet.AliasTarget).toEqual({ ...ALB, EvaluateTargetHealth: true });
    expect(h.route53.calls.filter((c) => c === 'getChange').length).toBeGreaterThanOrEqual(1);
    expect(h.route53.calls.indexOf('getChange')).toBeGreaterThan(h.route53.calls.indexOf('changeResourceRecordSets'));
    expect(response).toEqual({ ...pick(common), Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(h.sent).toEqual([{ url: common.ResponseURL, response }]);
  });

  test('an initial split of 25 % creates 75 / 25', async () => {
    const h = harness();
    await handleEvent(createEvent(properties({ initial: ['75', '25'] })), h.deps);
    expect(weights(h.route53)).toEqual({
      'source@api.pay.example.com.': 75,
      'target@api.pay.example.com.': 25,
      'source@checkout.pay.example.com.': 75,
      'target@checkout.pay.example.com.': 25,
    });
  });

  test('waits for INSYNC no longer than the deadline, then answers (the change completes on its own)', async () => {
    const h = harness();
    h.route53.pendingPolls = 1_000;
    const response = await handleEvent(createEvent(), h.deps);
    expect(response.Status).toBe('SUCCESS');
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(120_000);
    expect(Math.max(...h.sleeps)).toBeLessThanOrEqual(10_000);
  });
});

describe('Update', () => {
  test('keeps the LIVE weights (50/50 after a shift) instead of the template\'s initial split', async () => {
    // GIVEN the orchestrator moved traffic to 50/50
    const h = harness();
    await createdAndShifted(h, 50);
    // WHEN any change to the stack updates the custom resource (here only the initial split in the template)
    const response = await handleEvent(updateEvent(properties({ initial: ['100', '0'] }), properties()), h.deps);
    // THEN no record body changed, so nothing is written at all (a deploy cannot race a running shift), and 50/50 stays
    expect(h.route53.batches).toHaveLength(0);
    expect(Object.values(weights(h.route53))).toEqual([50, 50, 50, 50]);
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe(PHYSICAL_ID);
  });

  test('applies a new TTL and a new ALB while keeping the live weights (90/10)', async () => {
    const h = harness();
    await createdAndShifted(h, 10);
    await handleEvent(updateEvent(properties({ ttl: '30', albDns: 'payments-456.eu-west-1.elb.amazonaws.com' })), h.deps);
    const changes = h.route53.batches[0].Changes;
    const source = changes.find((c) => c.ResourceRecordSet.SetIdentifier === 'source')!.ResourceRecordSet;
    const target = changes.find((c) => c.ResourceRecordSet.SetIdentifier === 'target')!.ResourceRecordSet;
    expect(source).toMatchObject({ TTL: 30, Weight: 90 });
    expect(target).toMatchObject({ AliasTarget: { DNSName: 'payments-456.eu-west-1.elb.amazonaws.com' }, Weight: 10 });
    expect(h.route53.get('api.pay.example.com', 'A', 'source')).toMatchObject({ TTL: 30, Weight: 90 });
  });

  test('a new name gets the live split of the existing names; a removed name is deleted with its live values', async () => {
    const h = harness();
    await createdAndShifted(h, 30);
    const liveCheckout = h.route53.get('checkout.pay.example.com', 'A', 'target')!;
    await handleEvent(updateEvent(properties({ names: ['api.pay.example.com', 'refunds.pay.example.com'] })), h.deps);
    // batch 1: the new name (refunds) with the live split 70/30; api is unchanged and not written
    expect(h.route53.batches[0].Changes.map((c) => `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.SetIdentifier}=${c.ResourceRecordSet.Weight}`)).toEqual([
      'UPSERT refunds.pay.example.com source=70',
      'UPSERT refunds.pay.example.com target=30',
    ]);
    // batch 2: checkout deleted exactly as Route 53 holds it (trailing dots, live weight)
    expect(h.route53.batches[1].Changes).toHaveLength(2);
    expect(h.route53.batches[1].Changes[1]).toEqual({ Action: 'DELETE', ResourceRecordSet: liveCheckout });
    expect(liveCheckout.Name).toBe('checkout.pay.example.com.');
    expect(h.route53.all().map((r) => r.Name)).not.toContain('checkout.pay.example.com.');
  });

  test('a changed set identifier replaces the record in one batch, keeping its live weight', async () => {
    const h = harness();
    await createdAndShifted(h, 40);
    await handleEvent(updateEvent(properties({ sourceId: 'dc1' })), h.deps);
    expect(h.route53.batches).toHaveLength(1);
    const actions = h.route53.batches[0].Changes.map((c) => `${c.Action} ${c.ResourceRecordSet.SetIdentifier}=${c.ResourceRecordSet.Weight}`);
    expect(actions).toEqual(['DELETE source=60', 'DELETE source=60', 'UPSERT dc1=60', 'UPSERT dc1=60']);
    expect(h.route53.get('api.pay.example.com', 'A', 'source')).toBeUndefined();
  });

  test('reads live weights across List pages', async () => {
    const h = harness();
    await createdAndShifted(h, 20);
    h.route53.pageSize = 1;
    await handleEvent(updateEvent(properties({ ttl: '30' })), h.deps);
    // only the source side's body changed (its TTL): it is written with its live weight
    expect(h.route53.batches[0].Changes.map((c) => `${c.ResourceRecordSet.SetIdentifier}=${c.ResourceRecordSet.Weight}`)).toEqual(['source=80', 'source=80']);
    expect(h.route53.calls.filter((c) => c === 'listResourceRecordSets').length).toBeGreaterThan(2);
  });

  test('records that are missing live get the live split of the others, or the initial split when none is live', async () => {
    const h = harness();
    await handleEvent(updateEvent(properties({ initial: ['80', '20'] })), h.deps);
    expect(h.route53.batches[0].Changes.map((c) => c.ResourceRecordSet.Weight)).toEqual([80, 20, 80, 20]);
  });
});

describe('Delete', () => {
  test('DELETEs both records of every name with their live values', async () => {
    // GIVEN records at 0/100 after a completed cutover
    const h = harness();
    await createdAndShifted(h, 100);
    const live = h.route53.all();
    // WHEN
    const response = await handleEvent(deleteEvent(), h.deps);
    // THEN
    expect(h.route53.batches).toHaveLength(1);
    expect(h.route53.batches[0].Changes).toEqual(
      expect.arrayContaining(live.map((r) => ({ Action: 'DELETE', ResourceRecordSet: r }))),
    );
    expect(h.route53.batches[0].Changes.every((c) => c.Action === 'DELETE')).toBe(true);
    expect(h.route53.batches[0].Changes.find((c) => c.ResourceRecordSet.SetIdentifier === 'target')!.ResourceRecordSet.Weight).toBe(100);
    expect(h.route53.all()).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
  });

  test('records already gone are fine: only the live ones are deleted; none live means no call', async () => {
    const h = harness();
    await createdAndShifted(h, 0);
    const partial = harness();
    partial.route53.seed(h.route53.get('api.pay.example.com', 'A', 'target')!);
    expect((await handleEvent(deleteEvent(), partial.deps)).Status).toBe('SUCCESS');
    expect(partial.route53.batches[0].Changes).toHaveLength(1);

    const empty = harness();
    expect((await handleEvent(deleteEvent(), empty.deps)).Status).toBe('SUCCESS');
    expect(empty.route53.calls).not.toContain('changeResourceRecordSets');
  });

  testDeleteOfNothing(subject, 'records', (h) => handleEvent(deleteEvent({ Records: 'not a list' }), h.deps));
});

describe('Throttling and errors', () => {
  testBackoffThenSuccess(subject, 'Throttling (then PriorRequestNotComplete)', {
    changeResourceRecordSets: [route53Error('Throttling', 'Rate exceeded'), route53Error('PriorRequestNotComplete')],
    getChange: [route53Error('Throttling')],
  }, [200, 400], (h) => {
    expect(h.route53.calls.slice(0, 3)).toEqual(['changeResourceRecordSets', 'changeResourceRecordSets', 'changeResourceRecordSets']);
    expect(h.route53.batches).toHaveLength(1);
  });

  test('throttling that does not stop fails after a bounded number of attempts, with a FAILED response', async () => {
    const h = harness();
    h.route53.failNext('listResourceRecordSets', ...Array.from({ length: 20 }, () => route53Error('Throttling', 'Rate exceeded')));
    const response = await handleEvent(updateEvent(properties()), h.deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Throttling: Rate exceeded', PhysicalResourceId: PHYSICAL_ID });
    expect(h.route53.calls.filter((c) => c === 'listResourceRecordSets')).toHaveLength(8);
  });

  test('an error answers FAILED with the reason, and is not retried', async () => {
    const h = harness();
    h.route53.failNext('changeResourceRecordSets', route53Error('InvalidChangeBatch', 'RRSet of type CNAME with DNS name api.pay.example.com. is not permitted'));
    const response = await handleEvent(createEvent(), h.deps);
    expect(response).toEqual({
      ...pick(common),
      Status: 'FAILED',
      Reason: 'InvalidChangeBatch: RRSet of type CNAME with DNS name api.pay.example.com. is not permitted',
      PhysicalResourceId: `${common.LogicalResourceId}-not-created`,
    });
    expect(h.sent).toHaveLength(1);
    expect(h.route53.calls.filter((c) => c === 'changeResourceRecordSets')).toHaveLength(1);
  });

  test('bad properties answer FAILED too (never leave the stack waiting)', async () => {
    const h = harness();
    const props = properties();
    const response = await handleEvent(createEvent({ ...props, InitialWeights: { Source: '0', Target: '0' } }), h.deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Error: InitialWeights must not both be 0' });
    expect(h.sent).toHaveLength(1);
  });

  test('records that already exist are never adopted: Create fails and leaves them, and its Delete deletes nothing', async () => {
    // GIVEN someone's records with the same names and set identifiers, at 30/70
    const h = harness();
    await createdAndShifted(h, 70);
    const before = h.route53.all();
    // WHEN a second stack creates the same records
    const response = await handleEvent(createEvent(), h.deps);
    // THEN the atomic CREATE batch fails, nothing is reset, and the rollback's Delete touches nothing
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/already exists/);
    expect(h.route53.all()).toEqual(before);
    const rollbackDelete: CloudFormationCustomResourceDeleteEvent = {
      ...(deleteEvent() as CloudFormationCustomResourceDeleteEvent),
      PhysicalResourceId: response.PhysicalResourceId,
    };
    const del = await handleEvent(rollbackDelete, h.deps);
    expect(del.Status).toBe('SUCCESS');
    expect(h.route53.all()).toEqual(before);
  });

  test('a failed send of the response is retried', async () => {
    const h = harness();
    let attempts = 0;
    const deps: HandlerDeps = {
      ...h.deps,
      send: async () => {
        if (++attempts < 3) throw new Error('socket hang up');
      },
    };
    await handleEvent(createEvent(), deps);
    expect(attempts).toBe(3);
  });
});

describe('properties and physical id', () => {
  test('the physical id is the zone id and the sorted names; a digest when too long for CloudFormation', () => {
    expect(physicalIdFor(parseProperties(properties()))).toBe(PHYSICAL_ID);
    const many = Array.from({ length: 60 }, (_, i) => `service-${i}.pay.example.com`);
    const id = physicalIdFor(parseProperties(properties({ names: many })));
    expect(id).toMatch(/^Z0123456789ABC:sha256-[0-9a-f]{64}$/);
  });
});

describe('the bundle', () => {
  test('bundles to one CommonJS file exporting handler, with the SDK left to the Lambda runtime', () => {
    const file = bundleHandler();
    const mod = createRequire(__filename)(file);
    expect(typeof mod.handler).toBe('function');
    expect(readFileSync(file, 'utf8')).toMatch(/require\("@aws-sdk\/client-route-53"\)/);
  });
});

function pick(c: typeof common) {
  return { StackId: c.StackId, RequestId: c.RequestId, LogicalResourceId: c.LogicalResourceId };
}
