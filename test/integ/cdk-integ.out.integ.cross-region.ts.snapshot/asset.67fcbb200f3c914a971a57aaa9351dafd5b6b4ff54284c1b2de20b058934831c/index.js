"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/regional-network/peer-routes-handler.ts
var peer_routes_handler_exports = {};
__export(peer_routes_handler_exports, {
  NOT_CREATED_SUFFIX: () => NOT_CREATED_SUFFIX,
  createRoutes: () => createRoutes,
  deleteRoutes: () => deleteRoutes,
  describeTarget: () => describeTarget,
  handleEvent: () => handleEvent,
  handler: () => handler,
  parseProperties: () => parseProperties,
  physicalIdFor: () => physicalIdFor,
  readRoute: () => readRoute,
  updateRoutes: () => updateRoutes,
  withRetry: () => withRetry
});
module.exports = __toCommonJS(peer_routes_handler_exports);

// src/private/cfn-response.ts
var https = __toESM(require("https"));
var NOT_CREATED_SUFFIX = "-not-created";
function errorName(e) {
  const err = e;
  return err?.name ?? err?.Code ?? err?.code ?? "";
}
async function answer(event, channel, apply2) {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  let response;
  try {
    response = { ...base, Status: "SUCCESS", PhysicalResourceId: await apply2() };
  } catch (e) {
    const reason = `${errorName(e) || "Error"}: ${e?.message ?? String(e)}`.slice(0, 1e3);
    channel.log?.(`${event.RequestType} failed: ${reason}`);
    const physicalId = event.RequestType === "Create" ? `${event.LogicalResourceId}${NOT_CREATED_SUFFIX}` : event.PhysicalResourceId;
    response = { ...base, Status: "FAILED", Reason: reason, PhysicalResourceId: physicalId };
  }
  await sendResponse(channel, event.ResponseURL, response);
  return response;
}
var SEND_ATTEMPTS = 3;
async function sendResponse(channel, responseUrl, response) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await channel.send(responseUrl, response);
    } catch (e) {
      if (attempt >= SEND_ATTEMPTS) throw e;
      channel.log?.(`Sending the response failed (${e.message}), retrying`);
      await channel.sleep(1e3 * attempt);
    }
  }
}
function putResponse(responseUrl, response) {
  const body = JSON.stringify(response);
  const url = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: url.hostname,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        method: "PUT",
        headers: { "content-type": "", "content-length": Buffer.byteLength(body) },
        timeout: 1e4
      },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`ResponseURL answered ${res.statusCode}`)));
      }
    );
    req.on("timeout", () => req.destroy(new Error("ResponseURL timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

// src/regional-network/peer-routes-handler.ts
var RETRYABLE = /* @__PURE__ */ new Set(["RequestLimitExceeded", "Throttling", "ThrottlingException", "InvalidVpcPeeringConnectionID.NotFound"]);
var MAX_ATTEMPTS = 8;
var MAX_BACKOFF_MS = 1e4;
function str(x, what) {
  if (typeof x !== "string" || x.length === 0) throw new Error(`${what} must be a non-empty string`);
  return x;
}
function parseProperties(raw) {
  if (typeof raw !== "object" || raw === null) throw new Error("ResourceProperties must be an object");
  const p = raw;
  const tables = p.RouteTableIds;
  if (!Array.isArray(tables) || tables.length === 0) throw new Error("RouteTableIds must be a non-empty list");
  return {
    peerRegion: str(p.PeerRegion, "PeerRegion"),
    peeringConnectionId: str(p.VpcPeeringConnectionId, "VpcPeeringConnectionId"),
    destinationCidr: str(p.DestinationCidrBlock, "DestinationCidrBlock"),
    routeTableIds: [...new Set(tables.map((t, i) => str(t, `RouteTableIds[${i}]`)))]
  };
}
function physicalIdFor(config) {
  return `${config.peerRegion}|${config.peeringConnectionId}|${config.destinationCidr}`;
}
var isTableNotFound = (e) => errorName(e).toLowerCase() === "invalidroutetableid.notfound";
function checkTime(deps, what) {
  if (deps.now() > deps.deadline) {
    throw new Error(`Out of time before ${what}: answering CloudFormation before the function times out`);
  }
}
async function withRetry(deps, what, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const delay = Math.min(250 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      if (!RETRYABLE.has(errorName(e)) || attempt >= MAX_ATTEMPTS || deps.now() + delay > deps.deadline) throw e;
      deps.log?.(`${what}: ${errorName(e)}, retrying in ${delay} ms (attempt ${attempt})`);
      await deps.sleep(delay);
    }
  }
}
async function readRoute(deps, api, routeTableId, cidr) {
  let out;
  try {
    out = await withRetry(deps, `DescribeRouteTables ${routeTableId}`, () => api.describeRouteTables({ RouteTableIds: [routeTableId] }));
  } catch (e) {
    if (isTableNotFound(e)) return "no-table";
    throw e;
  }
  const table = (out.RouteTables ?? []).find((t) => t.RouteTableId === routeTableId);
  if (!table) return "no-table";
  return (table.Routes ?? []).find((r) => r.DestinationCidrBlock === cidr);
}
function describeTarget(route) {
  const target = route.VpcPeeringConnectionId ?? route.GatewayId ?? route.NatGatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ?? route.InstanceId ?? route.EgressOnlyInternetGatewayId ?? route.LocalGatewayId ?? route.CarrierGatewayId ?? route.CoreNetworkArn ?? "an unknown target";
  return route.State && route.State !== "active" ? `${target} (${route.State})` : target;
}
async function ensureRoute(deps, api, config, routeTableId, journal, previousPcx) {
  checkTime(deps, `routing ${routeTableId}`);
  const input = {
    RouteTableId: routeTableId,
    DestinationCidrBlock: config.destinationCidr,
    VpcPeeringConnectionId: config.peeringConnectionId
  };
  for (let pass = 1; ; pass++) {
    const live = await readRoute(deps, api, routeTableId, config.destinationCidr);
    if (live === "no-table") {
      throw new Error(`Route table ${routeTableId} does not exist in ${config.peerRegion}`);
    }
    if (live?.VpcPeeringConnectionId === config.peeringConnectionId) {
      deps.log?.(`${routeTableId}: ${config.destinationCidr} already routes through ${config.peeringConnectionId}`);
      return;
    }
    if (live && previousPcx !== void 0 && live.VpcPeeringConnectionId === previousPcx) {
      await withRetry(deps, `ReplaceRoute ${routeTableId}`, () => api.replaceRoute(input));
      journal.push({ what: `move ${routeTableId} back to ${previousPcx}`, undo: () => api.replaceRoute({ ...input, VpcPeeringConnectionId: previousPcx }) });
      deps.log?.(`${routeTableId}: moved ${config.destinationCidr} from ${previousPcx} to ${config.peeringConnectionId}`);
      return;
    }
    if (live) {
      throw new Error(
        `Route table ${routeTableId} already routes ${config.destinationCidr} to ${describeTarget(live)}, not to ${config.peeringConnectionId}: PeerRoutes never replaces a route it did not create. Remove that route, or leave this table out of peerRouteTableIds`
      );
    }
    try {
      await withRetry(deps, `CreateRoute ${routeTableId}`, () => api.createRoute(input));
    } catch (e) {
      if (errorName(e) === "RouteAlreadyExists" && pass === 1) continue;
      throw e;
    }
    journal.push({ what: `delete ${routeTableId}`, undo: () => api.deleteRoute({ RouteTableId: routeTableId, DestinationCidrBlock: config.destinationCidr }) });
    deps.log?.(`${routeTableId}: created ${config.destinationCidr} -> ${config.peeringConnectionId}`);
    return;
  }
}
async function deleteOwnRoute(deps, api, config, routeTableId, journal) {
  checkTime(deps, `deleting the route of ${routeTableId}`);
  const live = await readRoute(deps, api, routeTableId, config.destinationCidr);
  if (live === "no-table" || live === void 0) {
    deps.log?.(`${routeTableId}: ${live === "no-table" ? "table gone" : "no route"}, nothing to delete`);
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
    if (errorName(e) === "InvalidRoute.NotFound" || isTableNotFound(e)) return false;
    throw e;
  }
  journal?.push({
    what: `recreate ${routeTableId}`,
    undo: () => api.createRoute({ ...input, VpcPeeringConnectionId: config.peeringConnectionId })
  });
  deps.log?.(`${routeTableId}: deleted ${config.destinationCidr} -> ${config.peeringConnectionId}`);
  return true;
}
async function atomically(deps, work) {
  const journal = [];
  try {
    await work(journal);
  } catch (e) {
    for (const step of journal.reverse()) {
      try {
        await withRetry(deps, `undo: ${step.what}`, step.undo);
        deps.log?.(`undone: ${step.what}`);
      } catch (undoError) {
        deps.log?.(`could not ${step.what}: ${errorName(undoError)} ${undoError.message}`);
      }
    }
    throw e;
  }
}
async function createRoutes(deps, config, replacing) {
  const api = deps.ec2(config.peerRegion);
  const movable = replacing && replacing.peerRegion === config.peerRegion && replacing.destinationCidr === config.destinationCidr;
  await atomically(deps, async (journal) => {
    for (const rtb of config.routeTableIds) {
      const previousPcx = movable && replacing.routeTableIds.includes(rtb) ? replacing.peeringConnectionId : void 0;
      await ensureRoute(deps, api, config, rtb, journal, previousPcx);
    }
  });
}
async function updateRoutes(deps, old, next) {
  const api = deps.ec2(next.peerRegion);
  const removed = old.routeTableIds.filter((t) => !next.routeTableIds.includes(t));
  await atomically(deps, async (journal) => {
    for (const rtb of next.routeTableIds) await ensureRoute(deps, api, next, rtb, journal);
    for (const rtb of removed) await deleteOwnRoute(deps, api, old, rtb, journal);
  });
}
async function deleteRoutes(deps, config) {
  const api = deps.ec2(config.peerRegion);
  for (const rtb of config.routeTableIds) await deleteOwnRoute(deps, api, config, rtb);
}
function isReplacement(old, next) {
  return old.peerRegion !== next.peerRegion || old.peeringConnectionId !== next.peeringConnectionId || old.destinationCidr !== next.destinationCidr;
}
async function apply(event, deps) {
  switch (event.RequestType) {
    case "Create": {
      const config = parseProperties(event.ResourceProperties);
      await createRoutes(deps, config);
      return physicalIdFor(config);
    }
    case "Update": {
      const next = parseProperties(event.ResourceProperties);
      const old = parseProperties(event.OldResourceProperties);
      if (isReplacement(old, next)) {
        await createRoutes(deps, next, old);
        return physicalIdFor(next);
      }
      await updateRoutes(deps, old, next);
      return event.PhysicalResourceId;
    }
    case "Delete": {
      if (event.PhysicalResourceId.endsWith(NOT_CREATED_SUFFIX)) return event.PhysicalResourceId;
      let config;
      try {
        config = parseProperties(event.ResourceProperties);
      } catch (e) {
        deps.log?.(`Nothing to delete: ${e.message}`);
        return event.PhysicalResourceId;
      }
      await deleteRoutes(deps, config);
      return event.PhysicalResourceId;
    }
  }
}
async function handleEvent(event, deps) {
  return answer(event, deps, () => apply(event, deps));
}
var clients = /* @__PURE__ */ new Map();
function sdkApi(region) {
  let api = clients.get(region);
  if (!api) {
    const sdk = require("@aws-sdk/client-ec2");
    const c = new sdk.EC2Client({ region, maxAttempts: 2 });
    api = {
      createRoute: (input) => c.send(new sdk.CreateRouteCommand(input)),
      replaceRoute: (input) => c.send(new sdk.ReplaceRouteCommand(input)),
      deleteRoute: (input) => c.send(new sdk.DeleteRouteCommand(input)),
      describeRouteTables: async (input) => await c.send(new sdk.DescribeRouteTablesCommand(input))
    };
    clients.set(region, api);
  }
  return api;
}
var ANSWER_MARGIN_MS = 3e4;
async function handler(event, context) {
  const { ResponseURL: _url, ...loggable } = event;
  console.log(JSON.stringify({ request: loggable }));
  await handleEvent(event, {
    ec2: sdkApi,
    send: putResponse,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    deadline: Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS,
    log: (m) => console.log(m)
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  NOT_CREATED_SUFFIX,
  createRoutes,
  deleteRoutes,
  describeTarget,
  handleEvent,
  handler,
  parseProperties,
  physicalIdFor,
  readRoute,
  updateRoutes,
  withRetry
});
