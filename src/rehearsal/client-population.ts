import { WeightChange } from './scenario';
import { generator } from './simulation-support';

/**
 * A population of clients replaying a rehearsal's weight changes, to measure the split users see (not the one the
 * cutover set). Deterministic for a seed. What it models:
 * - DNS: a client resolves the names when its cache expires — after the record TTL for most, never again for the
 *   `foreverCacheShare` that cache forever (a JVM under a security manager, a resolver ignoring TTLs) — and gets
 *   the target with the weights in effect then (Route 53 answers by weight once the change is INSYNC);
 * - pooled connections: a client keeps its connection for `connectionLifetime` and sends every request on it;
 * - load balancer: the names point at the load balancer whatever the client cached; each request is routed by the
 *   listener's weights in effect when it arrives (per request, no stickiness);
 * - Global Accelerator: a new connection goes to the client's nearest Region unless its dial turns it away (then to
 *   the other Region); a connection stays where it went until it ends.
 */
export interface PopulationOptions {
  /** @default 2000 */
  readonly clients?: number;
  /** Requests per second per client. @default 0.2 */
  readonly requestsPerSecond?: number;
  /** Share of clients that cache DNS answers forever. @default 0.1 */
  readonly foreverCacheShare?: number;
  /** DNS TTL honoured by the other clients, seconds (the alias to a load balancer: 60). @default 60 */
  readonly ttl?: number;
  /** How long a pooled connection lives, seconds. @default 300 */
  readonly connectionLifetime?: number;
  /** Share of clients nearest the source Region (Global Accelerator). @default 0.6 */
  readonly sourceNearShare?: number;
  /** @default 1 */
  readonly seed?: number;
}

/** What the population saw during one step (from its change to the next one). */
export interface ObservedStep {
  readonly from: number;
  readonly to: number;
  /** The target share the step set, in percent. */
  readonly intended: number;
  /** The target share of the requests sent during the step, in percent. */
  readonly observed: number;
}

/** What a population saw over a whole rehearsal. */
export interface PopulationResult {
  readonly steps: ObservedStep[];
  /** Requests that reached the source after the last change to 100 % was in effect. */
  readonly sourceRequestsAfterFull: number;
  /** Of them, from clients that cache DNS forever. */
  readonly sourceRequestsAfterFullFromForeverCachers: number;
}

type Via = NonNullable<WeightChange['via']>;

/** Replays `changes` (one rehearsal's weight changes, all by the same shifter) for a population of clients until `end`. */
export function observePopulation(changes: readonly WeightChange[], end: number, options: PopulationOptions = {}): PopulationResult {
  const via: Via = changes[0]?.via ?? 'dns';
  const rand = generator(options.seed ?? 1);
  const clients = options.clients ?? 2000;
  const rps = options.requestsPerSecond ?? 0.2;
  const ttl = options.ttl ?? 60;
  const lifetime = options.connectionLifetime ?? 300;
  const near = options.sourceNearShare ?? 0.6;
  const forever = options.foreverCacheShare ?? 0.1;
  // The share to the target in effect at t (percent), from the changes that were in effect by then.
  const effective = [...changes].filter((c) => c.inEffectAt !== undefined).sort((a, b) => a.inEffectAt! - b.inEffectAt!);
  const shareAt = (t: number) => {
    let c: WeightChange | undefined;
    for (const e of effective) if (e.inEffectAt! <= t) c = e;
    return c ? c.target / Math.max(1, c.source + c.target) : 0;
  };
  const dialsAt = (t: number) => {
    let c: WeightChange | undefined;
    for (const e of effective) if (e.inEffectAt! <= t) c = e;
    return c ? { source: c.source / 100, target: c.target / 100 } : { source: 1, target: 0 };
  };
  const windows = changes.map((c, i) => ({
    from: c.t, to: changes[i + 1]?.t ?? end, intended: c.target / Math.max(1, c.source + c.target) * 100, target: 0, all: 0,
  }));
  const full = [...changes].reverse().find((c) => c.target > 0 && c.source === 0);
  const fullAt = full ? full.inEffectAt ?? Infinity : Infinity;
  let after = 0;
  let afterForever = 0;

  for (let i = 0; i < clients; i++) {
    const cachesForever = rand() < forever;
    const nearSource = rand() < near;
    // Each client last resolved (and opened its connection) at a random moment of the hour before the cutover.
    let resolvedAt = -rand() * 3600;
    let answer: 'source' | 'target' = rand() < shareAt(resolvedAt) ? 'target' : 'source';
    let openedAt = resolvedAt;
    let connection: 'source' | 'target' = via === 'accelerator' ? route(nearSource, dialsAt(openedAt), rand) : answer;
    for (let t = rand() / rps; t < end; t += 1 / rps) {
      if (t - openedAt >= lifetime) {
        openedAt = t;
        if (!cachesForever && t - resolvedAt >= ttl) {
          resolvedAt = t;
          answer = rand() < shareAt(t) ? 'target' : 'source';
        }
        connection = via === 'accelerator' ? route(nearSource, dialsAt(t), rand) : answer;
      }
      // The load balancer weighs each request; DNS and the accelerator send it where the connection goes.
      const side = via === 'load-balancer' ? (rand() < shareAt(t) ? 'target' : 'source') : connection;
      const w = windows.find((x) => t >= x.from && t < x.to);
      if (w) {
        w.all++;
        if (side === 'target') w.target++;
      }
      if (t >= fullAt && side === 'source') {
        after++;
        if (cachesForever) afterForever++;
      }
    }
  }
  return {
    steps: windows.map((w) => ({ from: w.from, to: w.to, intended: round1(w.intended), observed: round1(w.all ? (100 * w.target) / w.all : NaN) })),
    sourceRequestsAfterFull: after,
    sourceRequestsAfterFullFromForeverCachers: afterForever,
  };
}

/** Global Accelerator: the nearest Region's dial keeps its share of the client's new connections; the rest go to the other Region. */
function route(nearSource: boolean, dials: { source: number; target: number }, rand: () => number): 'source' | 'target' {
  if (nearSource) return rand() < dials.source ? 'source' : 'target';
  return rand() < dials.target ? 'target' : 'source';
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
