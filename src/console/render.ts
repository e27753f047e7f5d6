import { ShifterName } from './manifest';
import { Phase } from './progress';
import { recordAdvice, recordSummary } from './record';
import { Snapshot } from './snapshot';

/** How to draw: width in columns, colour (ANSI) or not. */
export interface RenderOptions {
  readonly width?: number;
  readonly color?: boolean;
  /** `now` for the bake countdown and ages (defaults to the snapshot's time). */
  readonly now?: Date;
  /** The `--stack`/`--region` part of the commands suggested. */
  readonly commandSuffix?: string;
}

const PHASE_TEXT: Record<Phase, string> = {
  'idle': 'NO CUTOVER YET',
  'pre-checks': 'PRE-CHECKS',
  'approval': 'WAITING FOR APPROVAL',
  'shift': 'SHIFTING',
  'bake': 'BAKE',
  'paused': 'PAUSED',
  'switchover': 'DATABASE SWITCHOVER',
  'writer-move': 'WRITER MOVE',
  'rollback': 'ROLLING BACK',
  'succeeded': 'CUTOVER COMPLETE',
  'rolled-back': 'ROLLED BACK',
  'rollback-failed': 'ROLLBACK FAILED — ACT BY HAND',
  'refused': 'REFUSED / NOT STARTED',
  'stopped': 'STOPPED',
  'failed': 'FAILED',
};

/** `1m05s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A progress bar of `width` cells, `done` in [0, 1]. */
export function bar(done: number, width: number): string {
  const cells = Math.max(0, Math.min(width, Math.round(done * width)));
  return `[${'█'.repeat(cells)}${'░'.repeat(width - cells)}]`;
}

/** A shifter as the live view names it. */
export interface ShifterView {
  /** What moves traffic. */
  readonly what: string;
  /** What the intended split's numbers are. */
  readonly weights: string;
  /** What each side's requests are counted on. */
  readonly sides: string;
  /** Why the observed split may differ from the intended one, when the shifter has a reason of its own. */
  readonly observed?: string;
}

/** Each shifter as the live view names it. */
export const SHIFTER_VIEW: Record<ShifterName, ShifterView> = {
  'dns': {
    what: 'Route 53 weighted records (resolvers may keep an old answer for the record TTL)',
    weights: 'the record weights the cutover set',
    sides: 'load balancer',
  },
  'load-balancer': {
    what: 'load balancer: one weighted forward to the legacy and the fleet target groups, per request',
    weights: 'the listener weights the cutover set',
    sides: 'target group',
    observed: 'each side counted on its target group of the one load balancer (RequestCount per TargetGroup)',
  },
  'global-accelerator': {
    what: 'Global Accelerator traffic dials, at the edge (its API is in us-west-2)',
    weights: 'the traffic dials the cutover set',
    sides: 'load balancer',
    observed: 'new connections follow the dials; open connections stay (on the side they reached)',
  },
};

const hhmmss = (t: string | undefined) => (t ? `${t.slice(11, 19)}Z` : '—');

/** The share, in percent with one decimal, of `a` in `a + b`. */
function share(a: number, b: number): string {
  return a + b === 0 ? '—' : `${((100 * a) / (a + b)).toFixed(1)} %`;
}

function paint(text: string, code: string, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** Cuts a line to `width` visible columns (ANSI colour codes take none), with an ellipsis. */
export function clip(line: string, width: number): string {
  const parts = line.split(/(\x1b\[[0-9;]*m)/);
  let visible = 0;
  let out = '';
  for (const part of parts) {
    if (/^\x1b\[[0-9;]*m$/.test(part)) {
      out += part;
      continue;
    }
    const chars = [...part];
    if (visible + chars.length <= width) {
      out += part;
      visible += chars.length;
      continue;
    }
    const all = [...line.replace(/\x1b\[[0-9;]*m/g, '')];
    if (all.length <= width) return line;
    out += `${chars.slice(0, Math.max(0, width - 1 - visible)).join('')}…`;
    return /\x1b\[/.test(out) ? `${out}\x1b[0m` : out;
  }
  return out;
}

/** Seconds of bake left now (the cutover counts down once per poll). */
export function bakeLeft(s: Snapshot, now: Date): { total: number; left: number } | undefined {
  const p = s.progress;
  const writer = p.writerBake && (p.phase === 'writer-move' || p.phase === 'paused');
  if (!writer && (!p.step || (p.phase !== 'bake' && p.phase !== 'paused'))) return undefined;
  const total = (writer ? s.plan.writerBakeSeconds : s.plan.steps.find((x) => x.index === p.step!.index)?.bakeSeconds) ?? 0;
  if (total <= 0) return undefined;
  if (!p.bake) return { total, left: total };
  const elapsed = p.phase === 'paused' ? 0 : Math.max(0, (now.getTime() - new Date(p.bake.asOf).getTime()) / 1000);
  return { total, left: Math.max(0, Math.min(total, p.bake.remaining - Math.min(elapsed, s.plan.pollSeconds))) };
}

/** The live view: a snapshot as lines of at most `width` columns. Pure. */
export function renderSnapshot(s: Snapshot, options: RenderOptions = {}): string[] {
  const width = options.width ?? 120;
  const color = options.color ?? false;
  const now = options.now ?? new Date(s.at);
  const suffix = options.commandSuffix ?? ` --stack ${s.stack}`;
  const p = s.progress;
  const lines: string[] = [];
  const label = (l: string) => l.padEnd(10);
  const push = (l: string, text: string) => lines.push(`${label(l)} ${text}`);

  lines.push(`payment-migration · ${s.stack} (${s.region}) · ${s.kind === 'dms' ? 'datacenter → AWS (DMS)' : 'Aurora global database'} · ${s.at.slice(0, 19)}Z`);
  lines.push('─'.repeat(Math.min(width, 100)));
  if (!s.execution) {
    push('Execution', 'none yet — start one with: payment-migration start' + suffix + ' (practice first: --dry-run)');
  } else {
    const age = s.execution.started ? ` (${duration((now.getTime() - new Date(s.execution.started).getTime()) / 1000)} ago)` : '';
    push('Execution', `${s.execution.name}  ${s.execution.status}  started ${hhmmss(s.execution.started)}${age}${s.execution.stopped ? `, ended ${hhmmss(s.execution.stopped)}` : ''}`);
  }
  const total = s.plan.steps.length;
  const phaseColor = ['rolled-back', 'rollback', 'rollback-failed', 'failed'].includes(p.phase) ? '31;1' : p.phase === 'succeeded' ? '32;1' : p.phase === 'paused' || p.phase === 'approval' ? '33;1' : '36;1';
  const stepPhase = ['shift', 'bake', 'approval', 'rollback', 'rolled-back', 'rollback-failed', 'failed', 'stopped'].includes(p.phase) || (p.phase === 'paused' && !p.writerBake);
  const stepText = p.step && stepPhase ? ` · step ${p.step.index} of ${total} (${p.step.percent} %)` : '';
  // on the DMS path the switchover's own states (gates, the last control read) lead into the writer move
  const phaseText = p.phase === 'switchover' && s.plan.database === 'writer-move' ? PHASE_TEXT['writer-move'] : PHASE_TEXT[p.phase];
  push('Phase', `${paint(phaseText, phaseColor, color)}${stepText}${p.state && !['succeeded'].includes(p.phase) ? `  — ${p.state}` : ''}`);
  const strip = s.plan.steps.map((x) => {
    const done = p.step ? x.index < p.step.index || (x.index === p.step.index && p.phase !== 'bake' && p.phase !== 'shift' && p.phase !== 'paused' && !['rollback', 'rolled-back', 'rollback-failed', 'failed', 'stopped'].includes(p.phase)) : false;
    const here = p.step?.index === x.index && ['bake', 'shift', 'paused'].includes(p.phase);
    return `${p.phase === 'succeeded' || done ? '✓' : here ? '▶' : '·'}${x.percent}%`;
  });
  if (s.plan.database) strip.push(`${p.phase === 'succeeded' ? '✓' : ['switchover', 'writer-move'].includes(p.phase) ? '▶' : '·'}${s.plan.database === 'writer-move' ? 'writer move' : 'switchover'}`);
  push('Steps', strip.join('  '));
  const bake = bakeLeft(s, now);
  if (bake) {
    const barWidth = Math.max(10, Math.min(40, width - 60));
    const baked = bake.total - bake.left;
    const on = p.writerBake ? ' on the new writer' : '';
    push('Bake', `${bar(baked / bake.total, barWidth)} ${duration(baked)} of ${duration(bake.total)} baked${on}, ${duration(bake.left)} left` +
      `${p.phase === 'paused' ? ' (paused: the clock stops, alarms still roll back)' : ''}`);
  }
  const view = SHIFTER_VIEW[s.shifter ?? 'dns'];
  push('Shifter', view.what);
  if (p.split) {
    push('Split', `intended  source ${p.split.source} / target ${p.split.target}  (${view.weights})`);
  } else {
    push('Split', 'intended  source 100 / target 0  (no shift by this execution)');
  }
  const o = s.observed;
  const measure = (v: number | null | undefined) => (v === undefined ? 'not measured' : v === null ? '0 req' : `${v} req`);
  if (o.minute === undefined && (o.source !== undefined || o.target !== undefined)) {
    push('', `observed  no requests on either ${view.sides} in the last 5 minutes (RequestCount has no datapoint)`);
  } else if (o.source !== undefined && o.target !== undefined) {
    push('', `observed  source ${share(o.source ?? 0, o.target ?? 0)} (${measure(o.source)}) · target ${share(o.target ?? 0, o.source ?? 0)} (${measure(o.target)})  minute from ${hhmmss(o.minute)}`);
  } else {
    const why = s.shifter === 'load-balancer' ? 'no target group ARN of it in the console manifest (redeploy the stack)'
      : s.kind === 'dms' ? 'legacy side, no load balancer' : 'no source load balancer name given';
    push('', `observed  target ${measure(o.target)} in the minute from ${hhmmss(o.minute)} · source not measured: ${why}`);
  }
  if (view.observed) push('', `          ${view.observed}`);
  if (s.record) {
    const r = s.record;
    const recordColor = r.verdict === 'recoverable' || r.verdict === 'unknown' ? '31;1' : r.verdict === 'complete' ? '32;1' : r.verdict === 'held' ? '36;1' : '1';
    const advice = recordAdvice(r, suffix);
    // What needs acting on gets lines of its own (the command in full); the rest fits on the record's line.
    if (r.verdict === 'recoverable' || r.verdict === 'unknown') {
      push('Record', paint(recordSummary(r), recordColor, color));
      for (const line of advice) push('', line);
    } else {
      push('Record', `${paint(recordSummary(r), recordColor, color)} — ${advice.join('; ')}`);
    }
  } else if (s.recordProblem) {
    push('Record', s.recordProblem);
  }
  // A value counts only when written after the cutover started (a newer parameter version): a leftover is never taken.
  const controlNote = !s.control || s.control === 'RUN' ? ''
    : s.execution?.status === 'RUNNING' ? ' (read at the next poll of a bake)'
      : s.control === 'SKIP_BAKE' ? ' (left over: harmless, a cutover takes only a value written after its start)'
        : ` (left over: a start is refused until payment-migration resume${suffix} --force)`;
  push('Control', `${s.control ?? 'unknown'}${controlNote}`);
  if (s.writer) {
    push('Writer', s.writer.kind === 'parameter'
      ? `${paint(s.writer.value, s.writer.value === 'FENCED' ? '33;1' : '1', color)}  (writer parameter ${s.writer.detail})`
      : `${s.writer.value}${s.writer.side ? ` (${s.writer.side})` : ''}  global cluster ${s.writer.detail ?? ''}`);
  }
  s.gates.forEach((g, i) => {
    const state = paint(g.state.padEnd(17), g.state === 'OK' ? '32' : g.state === 'ALARM' || g.state === 'MISSING' ? '31;1' : '33', color);
    lines.push(`${label(i === 0 ? 'Gates' : '')} ${state} ${g.name}${g.reason ? ` — ${g.reason}` : ''}`);
  });
  if (s.gates.length === 0) push('Gates', 'none');
  if (p.pendingApproval) {
    push('Approval', paint(`WAITING since ${hhmmss(p.pendingApproval.since)} for: ${p.pendingApproval.what}`, '33;1', color));
    push('', `approve: payment-migration approve${suffix}`);
    push('', `reject:  payment-migration reject${suffix} [--reason <text>]`);
  }
  if (p.error && !['bake', 'shift', 'pre-checks', 'approval'].includes(p.phase)) {
    push('Outcome', `${p.error}${p.cause ? `: ${p.cause}` : ''}`);
  }
  if (p.phase === 'rollback-failed') {
    push('', s.record?.verdict === 'recoverable'
      ? `If recover cannot finish either: the ManualRollback runbook section (payment-migration runbook${suffix})`
      : 'Run the ManualRollback runbook section: payment-migration runbook' + suffix);
  }
  if (s.dashboard) push('Dashboard', `${s.dashboard} (CloudWatch): intended vs observed split, replication lag, the fleet's health`);
  p.events.forEach((e, i) => lines.push(`${label(i === 0 ? 'Events' : '')} ${hhmmss(e.t)}  ${e.text}`));
  return lines.map((l) => clip(l, width));
}
