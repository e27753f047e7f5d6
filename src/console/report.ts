import { RehearsalResult } from '../rehearsal/scenario';

/** One rehearsed scenario for the report. */
export interface ReportRun {
  readonly key: string;
  readonly result: RehearsalResult;
  readonly expected: boolean;
  readonly problem?: string;
  /** Each step's bake time, from the definition (draws the bake windows to scale). */
  readonly bakeSeconds?: ReadonlyArray<number>;
}

export interface ReportInput {
  readonly title: string;
  readonly generatedAt: string;
  readonly runs: ReadonlyArray<ReportRun>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const mmss = (t: number) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;

/** Seconds the database writer was FENCED (writes refused), summed over the run; undefined off the DMS path. */
export function writePause(r: RehearsalResult): number | undefined {
  if (r.writerChanges.length === 0) return undefined;
  let total = 0;
  let fencedAt: number | undefined;
  for (const c of r.writerChanges) {
    if (c.value === 'FENCED') {
      fencedAt ??= c.t;
    } else if (fencedAt !== undefined) {
      total += c.t - fencedAt;
      fencedAt = undefined;
    }
  }
  if (fencedAt !== undefined) total += r.duration - fencedAt;
  return Math.round(total * 10) / 10;
}

/**
 * Bake windows: from each forward shift of the cutover for the step's bake time (from the definition, when known),
 * cut short by the next weight change or the end of the run.
 */
export function bakeWindows(r: RehearsalResult, bakeSeconds: ReadonlyArray<number> = []): Array<{ from: number; to: number; target: number }> {
  const windows: Array<{ from: number; to: number; target: number }> = [];
  const changes = r.weightChanges;
  changes.forEach((c, i) => {
    const previous = i === 0 ? 0 : changes[i - 1].target;
    if (c.actor !== 'cutover' || c.target <= previous) return;
    const next = i + 1 < changes.length ? changes[i + 1].t : r.duration;
    const bake = bakeSeconds[windows.length];
    windows.push({ from: c.t, to: bake !== undefined ? Math.min(next, c.t + bake) : next, target: c.target });
  });
  return windows;
}

/** The first alarm onset of the scenario (an alarm entering ALARM, as the world or a gate read saw it). */
function alarmOnsets(r: RehearsalResult): Array<{ t: number; text: string }> {
  return r.timeline.filter((e) => e.kind === 'alarm' || (e.kind === 'gates' && /ALARM|missing/.test(e.text))).map((e) => ({ t: e.t, text: e.text }));
}

/** The rollback: the first change that lowered the target's weight. */
function rollbackAt(r: RehearsalResult): { t: number; actor: string } | undefined {
  for (let i = 0; i < r.weightChanges.length; i++) {
    const prev = i === 0 ? 0 : r.weightChanges[i - 1].target;
    if (r.weightChanges[i].target < prev) return { t: r.weightChanges[i].t, actor: r.weightChanges[i].actor };
  }
  return undefined;
}

const WRITER_COLOR: Record<string, string> = { SOURCE: '#2b6cb0', FENCED: '#d69e2e', TARGET: '#dd6b20' };

/** The SVG timeline of one run: weights, bakes, gate reads, alarms, events, rollback, the writer lane. Pure. */
export function timelineSvg(r: RehearsalResult, bakeSeconds: ReadonlyArray<number> = []): string {
  const W = 1100;
  const left = 120;
  const right = 20;
  const end = Math.max(r.duration, ...r.timeline.map((e) => e.t), 60) * 1.02;
  const x = (t: number) => left + ((W - left - right) * t) / end;
  const lanes = { weight: [30, 170], gates: [190, 210], alarms: [225, 245], events: [260, 280], writer: [300, 322] };
  const y = (w: number) => lanes.weight[1] - ((lanes.weight[1] - lanes.weight[0]) * w) / 100;
  // a label near the right edge is written leftwards
  const label = (t: number, dx: number) => (x(t) > W - 170 ? `x="${x(t) - dx}" text-anchor="end"` : `x="${x(t) + dx}"`);
  const parts: string[] = [];
  // time axis
  const tick = end > 1800 ? 300 : end > 600 ? 120 : 60;
  for (let t = 0; t <= end; t += tick) {
    parts.push(`<line x1="${x(t)}" y1="${lanes.weight[0]}" x2="${x(t)}" y2="${lanes.writer[1]}" stroke="#eee"/><text x="${x(t)}" y="${lanes.writer[1] + 16}" font-size="11" text-anchor="middle" fill="#555">${mmss(t)}</text>`);
  }
  for (const [name, [top, bottom]] of Object.entries(lanes)) {
    parts.push(`<text x="${left - 8}" y="${(top + bottom) / 2 + 4}" font-size="12" text-anchor="end" fill="#333">${{ weight: 'weight %', gates: 'gate reads', alarms: 'alarms', events: 'events', writer: 'DB writer' }[name]}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${y(0)}" x2="${W - right}" y2="${y(0)}" stroke="#999"/><text x="${left - 30}" y="${y(100) + 4}" font-size="10" fill="#777">100</text>`);
  // bake windows
  for (const b of bakeWindows(r, bakeSeconds)) {
    parts.push(`<rect class="bake" data-from="${b.from}" data-to="${b.to}" data-target="${b.target}" x="${x(b.from)}" y="${lanes.weight[0]}" width="${Math.max(1, x(b.to) - x(b.from))}" height="${lanes.weight[1] - lanes.weight[0]}" fill="#f0fff4" stroke="#c6f6d5"><title>bake at ${b.target} % from ${mmss(b.from)} to ${mmss(b.to)}</title></rect>`);
  }
  // weights: a step line per side
  const steps = (side: 'source' | 'target') => {
    let v = side === 'source' ? 100 : 0;
    let d = `M ${x(0)} ${y(v)}`;
    for (const c of r.weightChanges) {
      d += ` H ${x(c.t)} V ${y(c[side])}`;
      v = c[side];
    }
    return `${d} H ${x(r.duration)}`;
  };
  parts.push(`<path class="weight-line" data-side="source" d="${steps('source')}" fill="none" stroke="#2b6cb0" stroke-width="2.5"/>`);
  parts.push(`<path class="weight-line" data-side="target" d="${steps('target')}" fill="none" stroke="#dd6b20" stroke-width="2.5"/>`);
  for (const c of r.weightChanges) {
    parts.push(`<g class="weight-step" data-t="${c.t}" data-source="${c.source}" data-target="${c.target}" data-actor="${c.actor}"><circle cx="${x(c.t)}" cy="${y(c.target)}" r="4" fill="#dd6b20"/><text ${label(c.t, 5)} y="${y(c.target) - 6}" font-size="11" fill="#9c4221">${c.target}%${c.actor !== 'cutover' ? ` (${c.actor})` : ''}</text><title>${mmss(c.t)} ${c.actor}: source ${c.source} / target ${c.target}</title></g>`);
  }
  for (const t of r.gateReads) parts.push(`<line class="gate-read" data-t="${t}" x1="${x(t)}" y1="${lanes.gates[0]}" x2="${x(t)}" y2="${lanes.gates[1]}" stroke="#718096"/>`);
  for (const a of alarmOnsets(r)) {
    parts.push(`<g class="alarm-onset" data-t="${a.t}"><path d="M ${x(a.t)} ${lanes.alarms[0]} l 7 18 h -14 z" fill="#e53e3e"/><title>${mmss(a.t)} ${esc(a.text)}</title></g>`);
  }
  for (const e of r.timeline.filter((ev) => ['notify', 'operator', 'checkpoint', 'database', 'end'].includes(ev.kind))) {
    parts.push(`<circle class="event" data-kind="${e.kind}" data-t="${e.t}" cx="${x(e.t)}" cy="${(lanes.events[0] + lanes.events[1]) / 2}" r="3.5" fill="${e.kind === 'operator' ? '#805ad5' : e.kind === 'database' ? '#dd6b20' : '#4a5568'}"><title>${mmss(e.t)} ${e.actor}: ${esc(e.text)}</title></circle>`);
  }
  const rb = rollbackAt(r);
  if (rb) {
    parts.push(`<g class="rollback" data-t="${rb.t}" data-actor="${rb.actor}"><line x1="${x(rb.t)}" y1="${lanes.weight[0] - 10}" x2="${x(rb.t)}" y2="${lanes.writer[1]}" stroke="#e53e3e" stroke-width="2" stroke-dasharray="5 3"/><text ${label(rb.t, 4)} y="${lanes.weight[0] - 12}" font-size="12" fill="#c53030" font-weight="bold">rollback (${rb.actor})</text></g>`);
  }
  // writer lane: the writer parameter's values over time (DMS), or the switchover (Aurora global)
  if (r.writerChanges.length > 0) {
    const segments = [{ t: 0, value: 'SOURCE' }, ...r.writerChanges];
    segments.forEach((s, i) => {
      const to = i + 1 < segments.length ? segments[i + 1].t : r.duration;
      parts.push(`<rect class="writer" data-value="${s.value}" data-from="${s.t}" x="${x(s.t)}" y="${lanes.writer[0]}" width="${Math.max(1, x(to) - x(s.t))}" height="${lanes.writer[1] - lanes.writer[0]}" fill="${WRITER_COLOR[s.value] ?? '#a0aec0'}"><title>${mmss(s.t)} writer ${s.value}</title></rect>`);
      if (x(to) - x(s.t) > 50) parts.push(`<text x="${x(s.t) + 4}" y="${lanes.writer[1] - 6}" font-size="11" fill="#fff">${s.value}</text>`);
    });
  } else {
    const moved = r.switchedOver ? r.timeline.find((e) => e.kind === 'database' && /switchover/i.test(e.text))?.t ?? r.duration : undefined;
    parts.push(`<rect class="writer" data-value="SOURCE" data-from="0" x="${x(0)}" y="${lanes.writer[0]}" width="${x(moved ?? r.duration) - x(0)}" height="${lanes.writer[1] - lanes.writer[0]}" fill="${WRITER_COLOR.SOURCE}"/><text x="${x(0) + 4}" y="${lanes.writer[1] - 6}" font-size="11" fill="#fff">source region</text>`);
    if (moved !== undefined) parts.push(`<rect class="writer" data-value="TARGET" data-from="${moved}" x="${x(moved)}" y="${lanes.writer[0]}" width="${Math.max(2, x(r.duration) - x(moved))}" height="${lanes.writer[1] - lanes.writer[0]}" fill="${WRITER_COLOR.TARGET}"><title>switchover: writer in the target region</title></rect>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" data-scenario="${esc(r.scenario)}" viewBox="0 0 ${W} ${lanes.writer[1] + 26}" width="${W}" height="${lanes.writer[1] + 26}" font-family="system-ui, sans-serif">${parts.join('')}</svg>`;
}

/** The figures at the top of a run. */
export function figures(r: RehearsalResult): Array<[string, string]> {
  const rb = rollbackAt(r);
  const pause = writePause(r);
  const rows: Array<[string, string]> = [
    ['outcome', `${r.status}${r.error ? ` (${r.error})` : ''}`],
    ['final weights', `source ${r.finalWeights.source} / target ${r.finalWeights.target}`],
    ['duration', `${mmss(r.duration)} (${r.duration} s, virtual clock)`],
    ['time to rollback', r.rollbackLatency !== undefined ? `${r.rollbackLatency} s from the alarm to the rollback change` : rb ? `rollback at ${mmss(rb.t)} (${rb.actor})` : 'no rollback'],
    ['write pause', pause !== undefined ? `${pause} s with the writer FENCED`
      : r.switchedOver ? 'no fence; the Aurora switchover pauses writes itself (not modelled offline)' : 'none: the writer never moved'],
    ['database', r.writerChanges.length ? `writer SOURCE → ${r.writerChanges.map((c) => c.value).join(' → ')}` : r.switchedOver ? 'switched over to the target' : 'not moved'],
    ['state transitions', String(r.stateTransitions)],
  ];
  return rows;
}

/** The whole page: one self-contained HTML document (inline CSS and SVG, no script, no external resource). */
export function renderReport(input: ReportInput): string {
  const ok = input.runs.every((r) => r.expected);
  const sections = input.runs.map((run) => {
    const r = run.result;
    const rows = figures(r).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
    const timeline = r.timeline.map((e) => `<tr class="k-${e.kind}"><td>${mmss(e.t)}</td><td>${esc(e.actor)}</td><td>${esc(e.text)}</td></tr>`).join('');
    return `<section class="run" data-key="${esc(run.key)}" data-status="${r.status}">
<h2><span class="badge ${run.expected ? 'pass' : 'fail'}">${run.expected ? 'as expected' : 'UNEXPECTED'}</span> ${esc(r.scenario)}</h2>
${run.problem ? `<p class="problem">✗ ${esc(run.problem)}</p>` : ''}<table class="figures">${rows}</table>
${timelineSvg(r, run.bakeSeconds)}
<p class="legend"><span style="color:#2b6cb0">━ source weight</span> <span style="color:#dd6b20">━ target weight</span> <span style="background:#f0fff4">&nbsp;bake&nbsp;</span> <span style="color:#718096">| gate read</span> <span style="color:#e53e3e">▲ alarm</span> <span style="color:#c53030">┆ rollback</span></p>
<details><summary>${r.timeline.length} timeline events</summary><table class="events">${timeline}</table></details>
</section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cutover rehearsal: ${esc(input.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1160px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px} .meta{color:#4a5568;margin:0 0 16px}
.summary td,.summary th,.figures td,.figures th{padding:3px 10px;text-align:left;border-bottom:1px solid #edf2f7;font-size:13px}
.figures th{color:#4a5568;font-weight:600;width:150px} .badge{font-size:12px;padding:2px 8px;border-radius:10px;color:#fff}
.pass{background:#38a169} .fail{background:#e53e3e} .problem{color:#c53030} .legend{font-size:12px;color:#4a5568}
.events td{font-size:12px;padding:1px 8px;font-family:ui-monospace,monospace} svg{border:1px solid #e2e8f0;background:#fff}
</style></head><body>
<h1>Cutover rehearsal: ${esc(input.title)}</h1>
<p class="meta">${input.runs.length} scenario(s) on the synthesized state machine (aws-local-stepfunctions, virtual clock) · ${esc(input.generatedAt.slice(0, 19))}Z · <strong class="${ok ? 'ok' : 'ko'}">${ok ? 'every scenario ended as expected' : 'a scenario did NOT end as expected'}</strong></p>
<table class="summary"><tr><th>scenario</th><th>outcome</th><th>final weights</th><th>time to rollback</th><th>write pause</th></tr>
${input.runs.map((run) => { const f = Object.fromEntries(figures(run.result)); return `<tr><td>${esc(run.key)}</td><td>${esc(f.outcome)}</td><td>${esc(f['final weights'])}</td><td>${esc(f['time to rollback'])}</td><td>${esc(f['write pause'])}</td></tr>`; }).join('')}
</table>
${sections}
</body></html>
`;
}
