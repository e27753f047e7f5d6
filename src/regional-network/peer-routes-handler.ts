/*
 * The custom-resource handler that owns the routes of the PEER VPC to this VPC (bundled to assets/peer-routes/index.js).
 * It calls EC2 in the peer region, so one deploy of this stack routes both sides of a cross-region peering.
 *
 * Create: a route to this VPC's CIDR through the peering connection in every route table. A route to that CIDR that
 *         already points at this peering connection is fine; one that points anywhere else fails the request (a route
 *         that is someone else's is never taken over). A failed Create removes the routes it created and answers
 *         with a sentinel physical id, whose Delete deletes nothing.
 * Update: routes are created in added tables (and kept ones that lost theirs) and deleted from removed ones. Another region, peering connection or CIDR
 *         is a replacement (a new physical id; CloudFormation then sends Delete for the old one). When only the peering
 *         connection changed, the old resource's routes are moved to the new connection (ReplaceRoute).
 * Delete: only routes that still point at this peering connection are deleted; missing routes and tables are fine.
 * Every step is bounded in time, throttling is retried, and CloudFormation always gets an answer.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CfnResponse, errorName, NOT_CREATED_SUFFIX } from '../private/cfn-response';
import { handleRequest, HandlerRuntime, lambdaHandler, ResourceLifecycle, retrying } from '../private/resource-handler';

export { NOT_CREATED_SUFFIX };

/** A route as DescribeRouteTables returns it (the fields the handler reads). */
export interface Ec2Route {
  readonly DestinationCidrBlock?: string;
  readonly VpcPeeringConnectionId?: string;
  readonly GatewayId?: string;
  readonly NatGatewayId?: string;
  readonly TransitGatewayId?: string;
  readonly NetworkInterfaceId?: string;
  readonly InstanceId?: string;
  readonly EgressOnlyInternetGatewayId?: string;
  readonly LocalGatewayId?: string;
  readonly CarrierGatewayId?: string;
  readonly CoreNetworkArn?: string;
  readonly State?: string;
}

/** The input of CreateRoute and ReplaceRoute as the handler sends it. */
export interface PeeringRouteInput {
  readonly RouteTableId: string;
  readonly DestinationCidrBlock: string;
  readonly VpcPeeringConnectionId: string;
}

/** The EC2 calls the handler makes in one region (the SDK client in Lambda, a fake in tests). */
export interface Ec2Api {
  createRoute(input: PeeringRouteInput): Promise<unknown>;
  replaceRoute(input: PeeringRouteInput): Promise<unknown>;
  deleteRoute(input: { RouteTableId: string; DestinationCidrBlock: string }): Promise<unknown>;
  describeRouteTables(input: { RouteTableIds: string[] }): Promise<{ RouteTables?: { RouteTableId?: string; Routes?: Ec2Route[] }[] }>;
}

/** Everything the handler touches outside itself. */
export interface HandlerDeps extends HandlerRuntime {
  /** The EC2 API of a region. */
  readonly ec2: (region: string) => Ec2Api;
}

/** The routes the custom resource manages, parsed from its properties. */
export interface PeerRoutesConfig {
  readonly peerRegion: string;
  readonly peeringConnectionId: string;
  readonly destinationCidr: string;
  readonly routeTableIds: string[];
}


/** EC2 throttling, and the peering connection not yet visible in the peer region (eventual consistency). */
const RETRY = {
  retryable: new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'InvalidVpcPeeringConnectionID.NotFound']),
  firstDelayMs: 250,
  withinDeadline: true,
};

// ---------------------------------------------------------------------------------------------------------------
// Properties

function str(x: unknown, what: string): string {
  if (typeof x !== 'string' || x.length === 0) throw new Error(`${what} must be a non-empty string`);
  return x;
}

/** Parses and checks the custom resource's properties. */
export function parseProperties(raw: unknown): PeerRoutesConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('ResourceProperties must be an object');
  const p = raw as Record<string, unknown>;
  const tables = p.RouteTableIds;
  if (!Array.isArray(tables) || tables.length === 0) throw new Error('RouteTableIds must be a non-empty list');
  return {
    peerRegion: str(p.PeerRegion, 'PeerRegion'),
    peeringConnectionId: str(p.VpcPeeringConnectionId, 'VpcPeeringConnectionId'),
    destinationCidr: str(p.DestinationCidrBlock, 'DestinationCidrBlock'),
    routeTableIds: [...new Set(tables.map((t, i) => str(t, `RouteTableIds[${i}]`)))],
  };
}

/** `<peer region>|<peering connection>|<CIDR>`: what identifies the set of routes. */
export function physicalIdFor(config: PeerRoutesConfig): string {
  return `${config.peerRegion}|${config.peeringConnectionId}|${config.destinationCidr}`;
}

// ---------------------------------------------------------------------------------------------------------------
// EC2 calls


/** EC2 spells this code both `InvalidRouteTableID.NotFound` and `InvalidRouteTableId.NotFound`. */
const isTableNotFound = (e: unknown) => errorName(e).toLowerCase() === 'invalidroutetableid.notfound';

/** Throws when the deadline has passed: CloudFormation must get an answer before the function times out. */
function checkTime(deps: HandlerDeps, what: string): void {
  if (deps.now() > deps.deadline) {
    throw new Error(`Out of time before ${what}: answering CloudFormation before the function times out`);
  }
}

/** Calls `fn`, retrying throttling with exponential backoff, never sleeping past the deadline. */
export function withRetry<T>(deps: HandlerDeps, what: string, fn: () => Promise<T>): Promise<T> {
  return retrying(deps, RETRY, what, fn);
}

/** The route to `cidr` in a table: `undefined` when there is none, `'no-table'` when the table does not exist. */
export async function readRoute(deps: HandlerDeps, api: Ec2Api, routeTableId: string, cidr: string): Promise<Ec2Route | undefined | 'no-table'> {
  let out: Awaited<ReturnType<Ec2Api['describeRouteTables']>>;
  try {
    out = await withRetry(deps, `DescribeRouteTables ${routeTableId}`, () => api.describeRouteTables({ RouteTableIds: [routeTableId] }));
  } catch (e) {
    if (isTableNotFound(e)) return 'no-table';
    throw e;
  }
  const table = (out.RouteTables ?? []).find((t) => t.RouteTableId === routeTableId);
  if (!table) return 'no-table';
  return (table.Routes ?? []).find((r) => r.DestinationCidrBlock === cidr);
}

/** What a route points at, for error messages. */
export function describeTarget(route: Ec2Route): string {
  const target =
    route.VpcPeeringConnectionId ?? route.GatewayId ?? route.NatGatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ??
    route.InstanceId ?? route.EgressOnlyInternetGatewayId ?? route.LocalGatewayId ?? route.CarrierGatewayId ?? route.CoreNetworkArn ?? 'an unknown target';
  return route.State && route.State !== 'active' ? `${target} (${route.State})` : target;
}

// ---------------------------------------------------------------------------------------------------------------
// Creating, moving and deleting routes, with an undo journal

/** Undo steps of the current request, run newest first when it fails. */
type Journal = { what: string; undo: () => Promise<unknown> }[];

/**
 * Makes `routeTableId` route the CIDR through the peering connection.
 * `previousPcx`: the peering connection of the resource being replaced; its route in this table is moved (ReplaceRoute).
 */
async function ensureRoute(
  deps: HandlerDeps,
  api: Ec2Api,
  config: PeerRoutesConfig,
  routeTableId: string,
  journal: Journal,
  previousPcx?: string,
): Promise<void> {
  checkTime(deps, `routing ${routeTableId}`);
  const input: PeeringRouteInput = {
    RouteTableId: routeTableId,
    DestinationCidrBlock: config.destinationCidr,
    VpcPeeringConnectionId: config.peeringConnectionId,
  };
  for (let pass = 1; ; pass++) {
    const live = await readRoute(deps, api, routeTableId, config.destinationCidr);
    if (live === 'no-table') {
      throw new Error(`Route table ${routeTableId} does not exist in ${config.peerRegion}`);
    }
    if (live?.VpcPeeringConnectionId === config.peeringConnectionId) {
      deps.log?.(`${routeTableId}: ${config.destinationCidr} already routes through ${config.peeringConnectionId}`);
      return;
    }
    if (live && previousPcx !== undefined && live.VpcPeeringConnectionId === previousPcx) {
      await withRetry(deps, `ReplaceRoute ${routeTableId}`, () => api.replaceRoute(input));
      journal.push({ what: `move ${routeTableId} back to ${previousPcx}`, undo: () => api.replaceRoute({ ...input, VpcPeeringConnectionId: previousPcx }) });
      deps.log?.(`${routeTableId}: moved ${config.destinationCidr} from ${previousPcx} to ${config.peeringConnectionId}`);
      return;
    }
    if (live) {
      throw new Error(
        `Route table ${routeTableId} already routes ${config.destinationCidr} to ${describeTarget(live)}, not to ${config.peeringConnectionId}: ` +
          'PeerRoutes never replaces a route it did not create. Remove that route, or leave this table out of peerRouteTableIds',
      );
    }
    try {
      await withRetry(deps, `CreateRoute ${routeTableId}`, () => api.createRoute(input));
    } catch (e) {
      // Created by someone else between our read and our write: read again and judge it (once).
      if (errorName(e) === 'RouteAlreadyExists' && pass === 1) continue;
      throw e;
    }
    journal.push({ what: `delete ${routeTableId}`, undo: () => api.deleteRoute({ RouteTableId: routeTableId, DestinationCidrBlock: config.destinationCidr }) });
    deps.log?.(`${routeTableId}: created ${config.destinationCidr} -> ${config.peeringConnectionId}`);
    return;
  }
}

/** Deletes the route to the CIDR from a table if it still points at the peering connection. Returns whether it did. */
async function deleteOwnRoute(deps: HandlerDeps, api: Ec2Api, config: PeerRoutesConfig, routeTableId: string, journal?: Journal): Promise<boolean> {
  checkTime(deps, `deleting the route of ${routeTableId}`);
  const live = await readRoute(deps, api, routeTableId, config.destinationCidr);
  if (live === 'no-table' || live === undefined) {
    deps.log?.(`${routeTableId}: ${live === 'no-table' ? 'table gone' : 'no route'}, nothing to delete`);
    return false;
  }
  if (live.VpcPeeringConnectionId !== config.peeringConnectionId) {
    deps.log?.(`${routeTableId}: ${config.destinationCidr} routes to ${describeTarget(live)}, not ${config.peeringConnectionId}: left alone`);
    return false;
  }
  const input = { RouteTableId: routeTableId, DestinationCidrBlock: config.destinationCidr };
  try {
    await withRetry(deps, `DeleteRoute ${routeTableId}`, () => api.deleteRoute(input));
  } catch (e) {
    if (errorName(e) === 'InvalidRoute.NotFound' || isTableNotFound(e)) return false;
    throw e;
  }
  journal?.push({
    what: `recreate ${routeTableId}`,
    undo: () => api.createRoute({ ...input, VpcPeeringConnectionId: config.peeringConnectionId }),
  });
  deps.log?.(`${routeTableId}: deleted ${config.destinationCidr} -> ${config.peeringConnectionId}`);
  return true;
}

/** Runs `work`; when it fails, undoes what it did (newest first, best effort) and rethrows. */
async function atomically(deps: HandlerDeps, work: (journal: Journal) => Promise<void>): Promise<void> {
  const journal: Journal = [];
  try {
    await work(journal);
  } catch (e) {
    for (const step of journal.reverse()) {
      try {
        await withRetry(deps, `undo: ${step.what}`, step.undo);
        deps.log?.(`undone: ${step.what}`);
      } catch (undoError) {
        deps.log?.(`could not ${step.what}: ${errorName(undoError)} ${(undoError as Error).message}`);
      }
    }
    throw e;
  }
}

/**
 * Routes every table of `config`. `replacing`: the resource this one replaces, whose routes in the same region, to the
 * same CIDR, in tables of both lists, are moved to the new peering connection instead of being refused.
 */
export async function createRoutes(deps: HandlerDeps, config: PeerRoutesConfig, replacing?: PeerRoutesConfig): Promise<void> {
  const api = deps.ec2(config.peerRegion);
  const movable = replacing && replacing.peerRegion === config.peerRegion && replacing.destinationCidr === config.destinationCidr;
  await atomically(deps, async (journal) => {
    for (const rtb of config.routeTableIds) {
      const previousPcx = movable && replacing.routeTableIds.includes(rtb) ? replacing.peeringConnectionId : undefined;
      await ensureRoute(deps, api, config, rtb, journal, previousPcx);
    }
  });
}

/**
 * Same region, peering connection and CIDR: routes every listed table first (added ones, and kept ones whose route
 * was deleted by hand), then deletes the routes of removed tables.
 */
export async function updateRoutes(deps: HandlerDeps, old: PeerRoutesConfig, next: PeerRoutesConfig): Promise<void> {
  const api = deps.ec2(next.peerRegion);
  const removed = old.routeTableIds.filter((t) => !next.routeTableIds.includes(t));
  await atomically(deps, async (journal) => {
    for (const rtb of next.routeTableIds) await ensureRoute(deps, api, next, rtb, journal);
    for (const rtb of removed) await deleteOwnRoute(deps, api, old, rtb, journal);
  });
}

/** Deletes the routes that still point at the peering connection; the others, and missing ones, are left. */
export async function deleteRoutes(deps: HandlerDeps, config: PeerRoutesConfig): Promise<void> {
  const api = deps.ec2(config.peerRegion);
  for (const rtb of config.routeTableIds) await deleteOwnRoute(deps, api, config, rtb);
}

// ---------------------------------------------------------------------------------------------------------------
// The three requests

function isReplacement(old: PeerRoutesConfig, next: PeerRoutesConfig): boolean {
  return old.peerRegion !== next.peerRegion || old.peeringConnectionId !== next.peeringConnectionId || old.destinationCidr !== next.destinationCidr;
}

/**
 * The peer routes as a custom resource. A replacement creates the new routes with the old resource at hand (its routes
 * are moved, not refused); CloudFormation's Delete of the old one then deletes only routes still pointing at the old
 * peering connection (none of those moved here).
 */
const PEER_ROUTES: ResourceLifecycle<PeerRoutesConfig, HandlerDeps> = {
  parse: parseProperties,
  physicalId: physicalIdFor,
  replaces: isReplacement,
  create: createRoutes,
  update: updateRoutes,
  delete: deleteRoutes,
};

/** Handles a request and always answers CloudFormation: SUCCESS, or FAILED with the error as the reason. */
export function handleEvent(event: CloudFormationCustomResourceEvent, deps: HandlerDeps): Promise<CfnResponse> {
  return handleRequest(PEER_ROUTES, event, deps);
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda wiring

/** The part of `@aws-sdk/client-ec2` the handler uses. */
interface Ec2Sdk {
  EC2Client: new (config: { region: string; maxAttempts?: number }) => { send(command: unknown): Promise<unknown> };
  CreateRouteCommand: new (input: unknown) => unknown;
  ReplaceRouteCommand: new (input: unknown) => unknown;
  DeleteRouteCommand: new (input: unknown) => unknown;
  DescribeRouteTablesCommand: new (input: unknown) => unknown;
}

const clients = new Map<string, Ec2Api>();

/** The SDK client of a region behind {@link Ec2Api}. The Lambda runtime provides SDK v3: the bundle leaves it external. */
function sdkApi(region: string): Ec2Api {
  let api = clients.get(region);
  if (!api) {
    // Loaded here, not imported at the top: the handler's logic and its tests never need the SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const sdk = require('@aws-sdk/client-ec2') as Ec2Sdk;
    const c = new sdk.EC2Client({ region, maxAttempts: 2 });
    api = {
      createRoute: (input) => c.send(new sdk.CreateRouteCommand(input)),
      replaceRoute: (input) => c.send(new sdk.ReplaceRouteCommand(input)),
      deleteRoute: (input) => c.send(new sdk.DeleteRouteCommand(input)),
      describeRouteTables: async (input) => (await c.send(new sdk.DescribeRouteTablesCommand(input))) as Awaited<ReturnType<Ec2Api['describeRouteTables']>>,
    };
    clients.set(region, api);
  }
  return api;
}

/** The Lambda entry point; 30 s are kept back from the Lambda timeout to undo a failed attempt and answer CloudFormation. */
export const handler = lambdaHandler(PEER_ROUTES, 30_000, () => ({ ec2: sdkApi }));
