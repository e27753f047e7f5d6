import { readFileSync } from 'fs';
import { createRequire } from 'module';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { bundlePeerRoutesHandler } from './bundle';
import { ec2Error, FakeEc2 } from './fake-ec2';
import { CfnResponse, sendResponse } from '../../src/private/cfn-response';
import { handleEvent, HandlerDeps, physicalIdFor, parseProperties } from '../../src/regional-network/peer-routes-handler';
import { HandlerSubject, recorded, Recorded, testBackoffThenSuccess, testDeleteOfNothing } from '../support/handler';

const PEER_REGION = 'us-east-1';
const PCX = 'pcx-0123456789abcdef0';
const OTHER_PCX = 'pcx-0fedcba9876543210';
const CIDR = '10.1.0.0/16';
const [A, B, C, D] = ['rtb-0000000000000000a', 'rtb-0000000000000000b', 'rtb-0000000000000000c', 'rtb-0000000000000000d'];
const PHYSICAL_ID = `${PEER_REGION}|${PCX}|${CIDR}`;

/** Custom-resource properties as CloudFormation delivers them. */
function properties(opts: { tables?: string[]; pcx?: string; cidr?: string; region?: string } = {}) {
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:peer-routes',
    PeerRegion: opts.region ?? PEER_REGION,
    VpcPeeringConnectionId: opts.pcx ?? PCX,
    DestinationCidrBlock: opts.cidr ?? CIDR,
    RouteTableIds: opts.tables ?? [A, B],
  };
}

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:peer-routes',
  ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned',
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Target/1',
  RequestId: 'req-1',
  LogicalResourceId: 'NetworkPeerRoutes',
  ResourceType: 'Custom::PeerRoutes',
};

function createEvent(props: Record<string, unknown> = properties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Create', ResourceProperties: { ServiceToken: common.ServiceToken, ...props } };
}
function updateEvent(next: ReturnType<typeof properties>, old = properties(), physicalId = PHYSICAL_ID): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: next, OldResourceProperties: old };
}
function deleteEvent(props: Record<string, unknown> = properties(), physicalId = PHYSICAL_ID): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: { ServiceToken: common.ServiceToken, ...props } };
}

interface Harness extends Recorded<CfnResponse> {
  ec2: FakeEc2;
  deps: HandlerDeps;
  regions: string[];
  logs: string[];
}

/** Peer route tables A–D in us-east-1 (and eu-central-1), a clock that advances only when the handler sleeps. */
function harness(deadline = 120_000): Harness {
  const ec2 = new FakeEc2().addTables(PEER_REGION, A, B, C, D).addTables('eu-central-1', A, B);
  const regions: string[] = [];
  const logs: string[] = [];
  const { sent, sleeps, deps: recording } = recorded<CfnResponse>(deadline);
  const deps: HandlerDeps = {
    ...recording,
    ec2: (region) => {
      regions.push(region);
      return ec2.api(region);
    },
    log: (m) => logs.push(m),
  };
  return { ec2, deps, regions, sent, sleeps, logs };
}

/** This handler as the shared handler cases see it. */
const subject: HandlerSubject<Harness, FakeEc2> = { harness: () => harness(), fake: (h) => h.ec2, create: (h) => handleEvent(createEvent(), h.deps) };

const pick = () => ({ StackId: common.StackId, RequestId: common.RequestId, LogicalResourceId: common.LogicalResourceId });

describe('Create', () => {
  test('creates a route to this VPC\'s CIDR through the peering connection in every table, in the peer region', async () => {
    // GIVEN
    const h = harness();
    // WHEN
    const response = await handleEvent(createEvent(), h.deps);
    // THEN
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${A} ${PCX}`, `createRoute us-east-1 ${B} ${PCX}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: PCX, [B]: PCX });
    expect(new Set(h.regions)).toEqual(new Set([PEER_REGION]));
    expect(response).toEqual({ ...pick(), Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(h.sent).toEqual([{ url: common.ResponseURL, response }]);
  });

  test('idempotent: a table that already routes the CIDR through this peering connection is left as it is', async () => {
    const h = harness();
    h.ec2.seed(PEER_REGION, A, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: PCX });
    const response = await handleEvent(createEvent(), h.deps);
    expect(response.Status).toBe('SUCCESS');
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${B} ${PCX}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: PCX, [B]: PCX });
  });

  test('refused when a table routes the CIDR elsewhere: FAILED with the reason, routes created in this attempt removed', async () => {
    // GIVEN B routes this CIDR to a transit gateway
    const h = harness();
    h.ec2.seed(PEER_REGION, B, { DestinationCidrBlock: CIDR, TransitGatewayId: 'tgw-0123456789abcdef0' });
    // WHEN A, B, C are to be routed
    const response = await handleEvent(createEvent(properties({ tables: [A, B, C] })), h.deps);
    // THEN A's new route is removed again, B's route is never touched, C is never reached
    expect(response).toEqual({
      ...pick(),
      Status: 'FAILED',
      Reason: expect.stringMatching(new RegExp(`^Error: Route table ${B} already routes 10\\.1\\.0\\.0/16 to tgw-0123456789abcdef0, not to ${PCX}: PeerRoutes never replaces a route it did not create`)),
      PhysicalResourceId: 'NetworkPeerRoutes-not-created',
    });
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${A} ${PCX}`, `deleteRoute us-east-1 ${A}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [B]: 'tgw-0123456789abcdef0' });
    expect(h.sent).toHaveLength(1);
  });

  test('a route of another peering connection is not taken over either, even a blackhole one', async () => {
    const h = harness();
    h.ec2.seed(PEER_REGION, A, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: OTHER_PCX, State: 'blackhole' });
    const response = await handleEvent(createEvent(), h.deps);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(`already routes 10.1.0.0/16 to ${OTHER_PCX} (blackhole)`);
    expect(h.ec2.targetOf(PEER_REGION, A, CIDR)).toBe(OTHER_PCX);
    expect(h.ec2.writes()).toEqual([]);
  });

  test('a table that does not exist fails the Create, and the routes created before it are removed', async () => {
    const h = harness();
    const response = await handleEvent(createEvent(properties({ tables: [A, 'rtb-0123456789abcdef9'] })), h.deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Error: Route table rtb-0123456789abcdef9 does not exist in us-east-1' });
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({});
  });

  test('the sentinel id of a failed Create deletes nothing on rollback', async () => {
    const h = harness();
    h.ec2.seed(PEER_REGION, B, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: OTHER_PCX });
    const failed = await handleEvent(createEvent(), h.deps);
    h.ec2.calls.length = 0;
    const rollback = await handleEvent(deleteEvent(properties(), failed.PhysicalResourceId), h.deps);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'NetworkPeerRoutes-not-created' });
    expect(h.ec2.calls).toEqual([]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [B]: OTHER_PCX });
  });

  test('bad properties answer FAILED (never leave the stack waiting)', async () => {
    const h = harness();
    const response = await handleEvent(createEvent({ ...properties(), RouteTableIds: [] }), h.deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Error: RouteTableIds must be a non-empty list' });
    expect(h.sent).toHaveLength(1);
  });
});

describe('Update', () => {
  test('routes added tables and deletes the routes of removed tables; the physical id stays', async () => {
    // GIVEN A and B routed
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    h.ec2.calls.length = 0;
    // WHEN the list becomes B, C
    const response = await handleEvent(updateEvent(properties({ tables: [B, C] })), h.deps);
    // THEN
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${C} ${PCX}`, `deleteRoute us-east-1 ${A}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [B]: PCX, [C]: PCX });
  });

  test('a removed table whose route now points elsewhere is left alone; a kept table that lost its route gets it back', async () => {
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    h.ec2.seed(PEER_REGION, A, { DestinationCidrBlock: CIDR, TransitGatewayId: 'tgw-0123456789abcdef0' });
    await h.ec2.api(PEER_REGION).deleteRoute({ RouteTableId: B, DestinationCidrBlock: CIDR });
    h.ec2.calls.length = 0;
    const response = await handleEvent(updateEvent(properties({ tables: [B] })), h.deps);
    expect(response.Status).toBe('SUCCESS');
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${B} ${PCX}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: 'tgw-0123456789abcdef0', [B]: PCX });
  });

  test('a failed Update undoes its own changes and keeps the physical id', async () => {
    // GIVEN A, B routed; D routes the CIDR elsewhere
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    h.ec2.seed(PEER_REGION, D, { DestinationCidrBlock: CIDR, GatewayId: 'vgw-0123456789abcdef0' });
    h.ec2.calls.length = 0;
    // WHEN C and D are added and A removed
    const response = await handleEvent(updateEvent(properties({ tables: [B, C, D] })), h.deps);
    // THEN C's route is created then removed again; A is never deleted
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    expect(response.Reason).toContain(`Route table ${D} already routes 10.1.0.0/16 to vgw-0123456789abcdef0`);
    expect(h.ec2.writes()).toEqual([`createRoute us-east-1 ${C} ${PCX}`, `deleteRoute us-east-1 ${C}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: PCX, [B]: PCX, [D]: 'vgw-0123456789abcdef0' });
  });

  test('another CIDR is a replacement: a new physical id; the Delete of the old one removes the old routes', async () => {
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    const response = await handleEvent(updateEvent(properties({ cidr: '10.2.0.0/16' })), h.deps);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${PEER_REGION}|${PCX}|10.2.0.0/16` });
    expect(h.ec2.routesTo(PEER_REGION, '10.2.0.0/16')).toEqual({ [A]: PCX, [B]: PCX });
    // CloudFormation then deletes the old resource
    await handleEvent(deleteEvent(properties(), PHYSICAL_ID), h.deps);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({});
    expect(h.ec2.routesTo(PEER_REGION, '10.2.0.0/16')).toEqual({ [A]: PCX, [B]: PCX });
  });

  test('another peering connection is a replacement that moves the routes (ReplaceRoute); the old Delete then deletes nothing', async () => {
    const h = harness();
    await handleEvent(createEvent(properties({ tables: [A] })), h.deps);
    h.ec2.calls.length = 0;
    const response = await handleEvent(updateEvent(properties({ pcx: OTHER_PCX, tables: [A, B] }), properties({ tables: [A] })), h.deps);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${PEER_REGION}|${OTHER_PCX}|${CIDR}` });
    expect(h.ec2.writes()).toEqual([`replaceRoute us-east-1 ${A} ${OTHER_PCX}`, `createRoute us-east-1 ${B} ${OTHER_PCX}`]);
    h.ec2.calls.length = 0;
    await handleEvent(deleteEvent(properties({ tables: [A] }), PHYSICAL_ID), h.deps);
    expect(h.ec2.writes()).toEqual([]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: OTHER_PCX, [B]: OTHER_PCX });
  });

  test('a failed replacement moves the routes back to the old peering connection', async () => {
    const h = harness();
    await handleEvent(createEvent(properties({ tables: [A] })), h.deps);
    h.ec2.seed(PEER_REGION, B, { DestinationCidrBlock: CIDR, GatewayId: 'vgw-0123456789abcdef0' });
    const response = await handleEvent(updateEvent(properties({ pcx: OTHER_PCX, tables: [A, B] }), properties({ tables: [A] })), h.deps);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    expect(h.ec2.targetOf(PEER_REGION, A, CIDR)).toBe(PCX);
  });

  test('another peer region is a replacement: the routes are created through that region\'s EC2', async () => {
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    h.regions.length = 0;
    const response = await handleEvent(updateEvent(properties({ region: 'eu-central-1' })), h.deps);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `eu-central-1|${PCX}|${CIDR}` });
    expect(new Set(h.regions)).toEqual(new Set(['eu-central-1']));
    expect(h.ec2.routesTo('eu-central-1', CIDR)).toEqual({ [A]: PCX, [B]: PCX });
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: PCX, [B]: PCX }); // until CloudFormation deletes the old one
  });
});

describe('Delete', () => {
  test('deletes only the routes that point at this peering connection; missing routes and tables are fine', async () => {
    // GIVEN A → this pcx, B → another pcx, C no route, D routed, and a table that no longer exists
    const h = harness();
    h.ec2.seed(PEER_REGION, A, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: PCX });
    h.ec2.seed(PEER_REGION, B, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: OTHER_PCX });
    h.ec2.seed(PEER_REGION, D, { DestinationCidrBlock: CIDR, VpcPeeringConnectionId: PCX });
    // WHEN
    const response = await handleEvent(deleteEvent(properties({ tables: [A, B, C, 'rtb-0123456789abcdef9', D] })), h.deps);
    // THEN
    expect(response).toEqual({ ...pick(), Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(h.ec2.writes()).toEqual([`deleteRoute us-east-1 ${A}`, `deleteRoute us-east-1 ${D}`]);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [B]: OTHER_PCX });
  });

  test('a route deleted between the read and the delete (InvalidRoute.NotFound) is fine', async () => {
    const h = harness();
    await handleEvent(createEvent(), h.deps);
    h.ec2.failNext('deleteRoute', ec2Error('InvalidRoute.NotFound', 'There is no route defined for 10.1.0.0/16 in the route table.'));
    const response = await handleEvent(deleteEvent(), h.deps);
    expect(response.Status).toBe('SUCCESS');
  });

  testDeleteOfNothing(subject, 'routes', (h) => handleEvent(deleteEvent({ RouteTableIds: 'not a list' }), h.deps));
});

describe('Throttling, time and errors', () => {
  testBackoffThenSuccess(subject, 'RequestLimitExceeded', {
    createRoute: [ec2Error('RequestLimitExceeded', 'Request limit exceeded.'), ec2Error('RequestLimitExceeded')],
    describeRouteTables: [ec2Error('RequestLimitExceeded')],
  }, [250, 250, 500], (h) => {
    expect(h.sleeps).toHaveLength(3);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({ [A]: PCX, [B]: PCX });
  });

  test('the peering connection not yet visible in the peer region is retried too', async () => {
    const h = harness();
    h.ec2.failNext('createRoute', ec2Error('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${PCX}' does not exist`));
    expect((await handleEvent(createEvent(), h.deps)).Status).toBe('SUCCESS');
  });

  test('throttling that does not stop fails after a bounded number of attempts, undoing what was created', async () => {
    const h = harness();
    // A is created; B's CreateRoute is throttled for ever
    const failures = Array.from({ length: 8 }, () => ec2Error('RequestLimitExceeded', 'Request limit exceeded.'));
    const deps: HandlerDeps = {
      ...h.deps,
      ec2: (region) => {
        const api = h.ec2.api(region);
        return { ...api, createRoute: async (input) => (input.RouteTableId === B ? Promise.reject(failures.shift() ?? new Error('more than 8 attempts')) : api.createRoute(input)) };
      },
    };
    const response = await handleEvent(createEvent(), deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'RequestLimitExceeded: Request limit exceeded.' });
    expect(failures).toHaveLength(0);
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({});
  });

  test('never sleeps past the deadline: throttling near it answers FAILED in time', async () => {
    const h = harness(2_000);
    h.ec2.failNext('describeRouteTables', ...Array.from({ length: 20 }, () => ec2Error('RequestLimitExceeded')));
    const response = await handleEvent(createEvent(), h.deps);
    expect(response.Status).toBe('FAILED');
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000);
    expect(h.sent).toHaveLength(1);
  });

  test('past the deadline no further table is started; what was created is undone', async () => {
    const h = harness(100);
    let clock = 0;
    const deps: HandlerDeps = { ...h.deps, now: () => (clock += 60) };
    const response = await handleEvent(createEvent(properties({ tables: [A, B, C] })), deps);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Error: Out of time before routing rtb-/) });
    expect(h.ec2.routesTo(PEER_REGION, CIDR)).toEqual({});
  });

  test('an EC2 error answers FAILED with its code and message, and is not retried', async () => {
    const h = harness();
    h.ec2.failNext('createRoute', ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const response = await handleEvent(createEvent(), h.deps);
    expect(response).toEqual({
      ...pick(),
      Status: 'FAILED',
      Reason: 'UnauthorizedOperation: You are not authorized to perform this operation.',
      PhysicalResourceId: 'NetworkPeerRoutes-not-created',
    });
    expect(h.ec2.calls.filter((c) => c.call === 'createRoute')).toHaveLength(1);
    expect(h.sent).toEqual([{ url: common.ResponseURL, response }]);
  });

  test('a failed send of the response is retried (shared cfn-response)', async () => {
    let attempts = 0;
    const sleeps: number[] = [];
    await sendResponse(
      {
        send: async () => {
          if (++attempts < 3) throw new Error('socket hang up');
        },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
      common.ResponseURL,
      { ...pick(), Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID },
    );
    expect(attempts).toBe(3);
    expect(sleeps).toEqual([1000, 2000]);
  });
});

describe('properties and physical id', () => {
  test('the physical id is region|pcx|cidr; repeated tables are routed once', () => {
    const config = parseProperties(properties({ tables: [A, B, A] }));
    expect(physicalIdFor(config)).toBe(PHYSICAL_ID);
    expect(config.routeTableIds).toEqual([A, B]);
  });
});

describe('the bundle', () => {
  test('bundles to one CommonJS file exporting handler, loading the runtime\'s EC2 client only when invoked', () => {
    const file = bundlePeerRoutesHandler();
    const mod = createRequire(__filename)(file);
    expect(typeof mod.handler).toBe('function');
    const code = readFileSync(file, 'utf8');
    expect(code).toMatch(/require\("@aws-sdk\/client-ec2"\)/);
    expect(code).toMatch(/content-type/); // the shared response sender is inlined
  });
});
