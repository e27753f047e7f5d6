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

// src/weighted-cutover/weighted-records-handler.ts
var weighted_records_handler_exports = {};
__export(weighted_records_handler_exports, {
  NOT_CREATED_SUFFIX: () => NOT_CREATED_SUFFIX,
  applyBatch: () => applyBatch,
  createRecords: () => createRecords,
  deleteRecords: () => deleteRecords,
  handleEvent: () => handleEvent,
  handler: () => handler,
  listSet: () => listSet,
  parseProperties: () => parseProperties,
  physicalIdFor: () => physicalIdFor,
  readLive: () => readLive,
  updateRecords: () => updateRecords,
  withRetry: () => withRetry
});
module.exports = __toCommonJS(weighted_records_handler_exports);
var import_crypto = require("crypto");
var import_client_route_53 = require("@aws-sdk/client-route-53");

// src/weighted-cutover/records.ts
function normalizeName(name) {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}
function recordKey(r) {
  return `${normalizeName(r.Name)}|${r.Type}|${r.SetIdentifier ?? ""}`;
}
function withWeight(body, weight) {
  return { ...body, Weight: weight };
}

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

// src/private/resource-handler.ts
async function apply(lifecycle, event, deps) {
  switch (event.RequestType) {
    case "Create": {
      const config = lifecycle.parse(event.ResourceProperties);
      await lifecycle.create(deps, config);
      return lifecycle.physicalId(config);
    }
    case "Update": {
      const next = lifecycle.parse(event.ResourceProperties);
      const old = lifecycle.parse(event.OldResourceProperties);
      if (lifecycle.replaces(old, next)) {
        await lifecycle.create(deps, next, old);
        return lifecycle.physicalId(next);
      }
      await lifecycle.update(deps, old, next);
      return event.PhysicalResourceId;
    }
    case "Delete": {
      if (event.PhysicalResourceId.endsWith(NOT_CREATED_SUFFIX)) return event.PhysicalResourceId;
      let config;
      try {
        config = lifecycle.parse(event.ResourceProperties);
      } catch (e) {
        deps.log?.(`Nothing to delete: ${e.message}`);
        return event.PhysicalResourceId;
      }
      await lifecycle.delete(deps, config);
      return event.PhysicalResourceId;
    }
  }
}
function handleRequest(lifecycle, event, deps) {
  return answer(event, deps, () => apply(lifecycle, event, deps));
}
var MAX_ATTEMPTS = 8;
var MAX_BACKOFF_MS = 1e4;
async function retrying(deps, policy, what, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const delay = Math.min(policy.firstDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      const late = policy.withinDeadline && deps.now() + delay > deps.deadline;
      if (!policy.retryable.has(errorName(e)) || attempt >= MAX_ATTEMPTS || late) throw e;
      deps.log?.(`${what}: ${errorName(e)}, retrying in ${delay} ms (attempt ${attempt})`);
      await deps.sleep(delay);
    }
  }
}
function lambdaHandler(lifecycle, answerMarginMs, api) {
  return async (event, context) => {
    const { ResponseURL: _url, ...loggable } = event;
    console.log(JSON.stringify({ request: loggable }));
    const runtime = {
      send: putResponse,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
      deadline: Date.now() + context.getRemainingTimeInMillis() - answerMarginMs,
      log: (m) => console.log(m)
    };
    await handleRequest(lifecycle, event, { ...api(), ...runtime });
  };
}

// src/weighted-cutover/weighted-records-handler.ts
var RETRY = {
  retryable: /* @__PURE__ */ new Set(["Throttling", "ThrottlingException", "PriorRequestNotComplete", "PriorRequestNotCompleteException"]),
  firstDelayMs: 200,
  withinDeadline: false
};
var MAX_BACKOFF_MS2 = 1e4;
var MAX_PHYSICAL_ID = 1024;
function obj(x, what) {
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new Error(`${what} must be an object`);
  return x;
}
function num(x, what) {
  const n = typeof x === "number" ? x : Number(x);
  if (x === void 0 || x === "" || !Number.isFinite(n)) throw new Error(`${what} must be a number, got ${JSON.stringify(x)}`);
  return n;
}
function str(x, what) {
  if (typeof x !== "string" || x.length === 0) throw new Error(`${what} must be a non-empty string`);
  return x;
}
function parseBody(raw, what) {
  const r = obj(raw, what);
  const alias = r.AliasTarget === void 0 ? void 0 : obj(r.AliasTarget, `${what}.AliasTarget`);
  const records = r.ResourceRecords === void 0 ? void 0 : r.ResourceRecords;
  return {
    Name: str(r.Name, `${what}.Name`),
    Type: str(r.Type, `${what}.Type`),
    SetIdentifier: str(r.SetIdentifier, `${what}.SetIdentifier`),
    ...alias ? {
      AliasTarget: {
        HostedZoneId: str(alias.HostedZoneId, `${what}.AliasTarget.HostedZoneId`),
        DNSName: str(alias.DNSName, `${what}.AliasTarget.DNSName`),
        EvaluateTargetHealth: alias.EvaluateTargetHealth === true || alias.EvaluateTargetHealth === "true"
      }
    } : {},
    ...r.TTL !== void 0 ? { TTL: num(r.TTL, `${what}.TTL`) } : {},
    ...records ? { ResourceRecords: records.map((v, i) => ({ Value: str(obj(v, `${what}.ResourceRecords[${i}]`).Value, `${what}.ResourceRecords[${i}].Value`) })) } : {},
    ...r.HealthCheckId !== void 0 && r.HealthCheckId !== "" ? { HealthCheckId: str(r.HealthCheckId, `${what}.HealthCheckId`) } : {}
  };
}
function parseProperties(raw) {
  const p = obj(raw, "ResourceProperties");
  const records = p.Records;
  if (!Array.isArray(records) || records.length === 0) throw new Error("Records must be a non-empty list");
  const weights = obj(p.InitialWeights, "InitialWeights");
  const initial = { source: num(weights.Source, "InitialWeights.Source"), target: num(weights.Target, "InitialWeights.Target") };
  if (initial.source + initial.target <= 0) throw new Error("InitialWeights must not both be 0");
  return {
    hostedZoneId: str(p.HostedZoneId, "HostedZoneId"),
    initial,
    records: records.map((r, i) => {
      const entry = obj(r, `Records[${i}]`);
      const side = entry.Side;
      if (side !== "source" && side !== "target") throw new Error(`Records[${i}].Side must be source or target`);
      return { side, body: parseBody(entry.Record, `Records[${i}].Record`) };
    })
  };
}
function physicalIdFor(config) {
  const names = [...new Set(config.records.map((r) => normalizeName(r.body.Name)))].sort().join(",");
  const id = `${config.hostedZoneId}:${names}`;
  return id.length <= MAX_PHYSICAL_ID ? id : `${config.hostedZoneId}:sha256-${(0, import_crypto.createHash)("sha256").update(names).digest("hex")}`;
}
function withRetry(deps, what, fn) {
  return retrying(deps, RETRY, what, fn);
}
async function listSet(deps, zoneId, name, type) {
  const found = [];
  let start = { StartRecordName: name, StartRecordType: type };
  for (; ; ) {
    const page = await withRetry(
      deps,
      "ListResourceRecordSets",
      () => deps.api.listResourceRecordSets({ HostedZoneId: zoneId, ...start, MaxItems: 100 })
    );
    for (const r of page.ResourceRecordSets ?? []) {
      if (normalizeName(r.Name) !== normalizeName(name) || r.Type !== type) return found;
      found.push(r);
    }
    if (!page.IsTruncated) return found;
    start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
  }
}
async function readLive(deps, zoneId, bodies) {
  const live = /* @__PURE__ */ new Map();
  const sets = /* @__PURE__ */ new Map();
  for (const b of bodies) sets.set(`${normalizeName(b.Name)}|${b.Type}`, b);
  for (const b of sets.values()) {
    for (const r of await listSet(deps, zoneId, b.Name, b.Type)) live.set(recordKey(r), r);
  }
  return live;
}
async function applyBatch(deps, zoneId, batch) {
  const submitted = await withRetry(
    deps,
    "ChangeResourceRecordSets",
    () => deps.api.changeResourceRecordSets({ HostedZoneId: zoneId, ChangeBatch: batch })
  );
  const id = submitted.ChangeInfo?.Id;
  if (!id) throw new Error("ChangeResourceRecordSets returned no change id");
  let status = submitted.ChangeInfo?.Status ?? "PENDING";
  let delay = 1e3;
  while (status !== "INSYNC") {
    if (deps.now() + delay > deps.deadline) {
      deps.log?.(`Change ${id} is still ${status}; answering before the function times out (Route 53 completes it on its own)`);
      break;
    }
    await deps.sleep(delay);
    delay = Math.min(delay * 2, MAX_BACKOFF_MS2);
    status = (await withRetry(deps, "GetChange", () => deps.api.getChange({ Id: id }))).ChangeInfo?.Status ?? status;
  }
  return { id, status };
}
var upsert = (r, weights) => ({ Action: "UPSERT", ResourceRecordSet: withWeight(r.body, weights[r.side]) });
var create = (r, weights) => ({ Action: "CREATE", ResourceRecordSet: withWeight(r.body, weights[r.side]) });
var remove = (live) => ({ Action: "DELETE", ResourceRecordSet: live });
async function createRecords(deps, config) {
  const batch = { Comment: "WeightedCutover: create", Changes: config.records.map((r) => create(r, config.initial)) };
  await applyBatch(deps, config.hostedZoneId, batch);
  return [batch];
}
function liveWeights(old, live) {
  const weights = /* @__PURE__ */ new Map();
  for (const r of old.records) {
    const w = live.get(recordKey(r.body))?.Weight;
    if (w !== void 0) weights.set(`${r.side}|${normalizeName(r.body.Name)}`, w);
  }
  return weights;
}
async function updateRecords(deps, old, next) {
  const live = await readLive(deps, old.hostedZoneId, old.records.map((r) => r.body));
  const weights = liveWeights(old, live);
  const oldNames = [...new Set(old.records.map((r) => normalizeName(r.body.Name)))];
  const splitName = oldNames.find((n) => weights.has(`source|${n}`) && weights.has(`target|${n}`));
  const fallback = splitName ? { source: weights.get(`source|${splitName}`), target: weights.get(`target|${splitName}`) } : next.initial;
  const weightOf = (r) => {
    const w = weights.get(`${r.side}|${normalizeName(r.body.Name)}`);
    return w === void 0 ? fallback : { ...fallback, [r.side]: w };
  };
  const nextKeys = new Set(next.records.map((r) => recordKey(r.body)));
  const nextNames = new Set(next.records.map((r) => normalizeName(r.body.Name)));
  const replaced = [];
  const removed = [];
  for (const r of old.records) {
    const l = live.get(recordKey(r.body));
    if (!l || nextKeys.has(recordKey(r.body))) continue;
    (nextNames.has(normalizeName(r.body.Name)) ? replaced : removed).push(remove(l));
  }
  const oldBodies = new Map(old.records.map((r) => [recordKey(r.body), JSON.stringify(r.body)]));
  const unchanged = (r) => live.has(recordKey(r.body)) && oldBodies.get(recordKey(r.body)) === JSON.stringify(r.body);
  const upserts = next.records.filter((r) => !unchanged(r)).map((r) => upsert(r, weightOf(r)));
  const batches = [];
  if (replaced.length + upserts.length > 0) {
    batches.push({ Comment: "WeightedCutover: update (live weights kept)", Changes: [...replaced, ...upserts] });
  }
  if (removed.length > 0) batches.push({ Comment: "WeightedCutover: update (names removed)", Changes: removed });
  for (const b of batches) await applyBatch(deps, next.hostedZoneId, b);
  return batches;
}
async function deleteRecords(deps, config) {
  const live = await readLive(deps, config.hostedZoneId, config.records.map((r) => r.body));
  const changes = config.records.flatMap((r) => {
    const l = live.get(recordKey(r.body));
    return l ? [remove(l)] : [];
  });
  if (changes.length === 0) return [];
  const batch = { Comment: "WeightedCutover: delete", Changes: changes };
  await applyBatch(deps, config.hostedZoneId, batch);
  return [batch];
}
var RECORDS = {
  parse: parseProperties,
  physicalId: physicalIdFor,
  replaces: (old, next) => old.hostedZoneId !== next.hostedZoneId,
  create: createRecords,
  update: updateRecords,
  delete: deleteRecords
};
function handleEvent(event, deps) {
  return handleRequest(RECORDS, event, deps);
}
var client;
function sdkApi() {
  client ??= new import_client_route_53.Route53Client({});
  const c = client;
  return {
    changeResourceRecordSets: async (input) => c.send(new import_client_route_53.ChangeResourceRecordSetsCommand(input)),
    getChange: async (input) => c.send(new import_client_route_53.GetChangeCommand(input)),
    listResourceRecordSets: async (input) => {
      const out = await c.send(new import_client_route_53.ListResourceRecordSetsCommand(input));
      return out;
    }
  };
}
var handler = lambdaHandler(RECORDS, 2e4, () => ({ api: sdkApi() }));
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  NOT_CREATED_SUFFIX,
  applyBatch,
  createRecords,
  deleteRecords,
  handleEvent,
  handler,
  listSet,
  parseProperties,
  physicalIdFor,
  readLive,
  updateRecords,
  withRetry
});
