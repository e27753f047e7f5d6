import { RehearsalResult } from './scenario';

/** Seconds as `mm:ss.s`. */
function clock(t: number): string {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${String(m).padStart(3, ' ')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** A timeline a person can read: time, actor, event; then the outcome and the figures. */
export function formatTimeline(result: RehearsalResult): string {
  const lines = [`── rehearsal: ${result.scenario} ──`];
  for (const e of result.timeline) {
    lines.push(`${clock(e.t)}  ${e.actor.padEnd(14)} ${e.text}`);
  }
  const weights = result.weightChanges.map((c) => `${c.source}/${c.target}${c.actor === 'alarm-rollback' ? '*' : ''}`).join(' → ');
  lines.push(`outcome: ${result.status}${result.error ? ` (${result.error}${result.cause ? `: ${result.cause}` : ''})` : ''}`);
  lines.push(`weights (source/target, * = event-driven rollback): 100/0 → ${weights || '(unchanged)'}`);
  if (result.databaseWriterChanges.length > 0) {
    lines.push(`Aurora writer: source → ${result.databaseWriterChanges.map((c) => `${c.writer} (${c.t} s)`).join(' → ')}`);
  }
  if (result.dataProblems.length > 0) lines.push(`DATA PROBLEMS: ${result.dataProblems.join('; ')}`);
  if (result.writerChanges.length > 0) {
    lines.push(`database writer: SOURCE → ${result.writerChanges.map((c) => c.value).join(' → ')}`);
  }
  lines.push(
    `database switched over: ${result.switchedOver ? 'yes' : 'no'}; duration ${result.duration} s; state transitions ${result.stateTransitions}` +
      (result.rollbackLatency !== undefined ? `; alarm → rollback change ${result.rollbackLatency} s` : ''),
  );
  return lines.join('\n');
}
