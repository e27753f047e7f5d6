import { rehearse } from '../../src/rehearsal/rehearse';
import { RehearsalResult, Scenario } from '../../src/rehearsal/scenario';
import { formatTimeline } from '../../src/rehearsal/timeline';

/**
 * Rehearses a scenario on a synthesized DMS-path template and checks what every scenario must keep: member names the
 * APIs accept, nothing lost or replayed, one writer at every moment, and no recovery unless the cutover was stopped
 * by hand. `REHEARSAL_VERBOSE=1` prints the timeline.
 */
export async function rehearseDms(template: any, scenario: Scenario): Promise<RehearsalResult> {
  const result = await rehearse({ template, scenario });
  if (process.env.REHEARSAL_VERBOSE) console.log(formatTimeline(result));
  expect(result.parameterErrors).toEqual([]);
  expect(result.dataProblems).toEqual([]);
  expectOneWriterAtEveryMoment(result);
  if (scenario.manualStopAt === undefined) {
    expect(result.weightChanges.filter((c) => c.actor === 'recovery')).toEqual([]);
    expect(result.writerChanges.filter((c) => c.actor === 'recovery')).toEqual([]);
  }
  return result;
}

/** The single-writer invariant, read off the timeline: traffic reaches a side only while its database writes. */
export function expectOneWriterAtEveryMoment(r: RehearsalResult) {
  // The writer is never TARGET while any traffic still goes to the legacy side, and the writer is back on the
  // source before any traffic returns there.
  for (const change of r.writerChanges.filter((c) => c.value === 'TARGET')) {
    const weightsThen = [...r.weightChanges].reverse().find((w) => w.t <= change.t);
    expect(weightsThen?.source).toBe(0);
  }
  const movedBack = r.weightChanges.find((w, i) => i > 0 && w.source > 0 && r.weightChanges[i - 1].source === 0);
  if (movedBack) {
    const lastWriter = [...r.writerChanges].reverse().find((c) => c.t <= movedBack.t);
    expect(lastWriter === undefined || lastWriter.value === 'SOURCE').toBe(true);
  }
  // The two DMS tasks never run at once (a loop: each would replay the other's writes).
  const calls = r.dmsTaskCalls;
  const reverseStart = calls.findIndex((c) => /start reverse/.test(c));
  if (reverseStart >= 0) expect(calls.slice(0, reverseStart).some((c) => /stop forward/.test(c))).toBe(true);
}

export const splits = (r: RehearsalResult) => r.weightChanges.map((c) => [c.source, c.target]);
export const writer = (r: RehearsalResult) => r.writerChanges.map((c) => c.value);
export const at = (r: RehearsalResult, text: RegExp) => r.timeline.find((e) => text.test(e.text))?.t;
/** The default cutover's four steps, as [source, target] weights. */
export const FORWARD = [[75, 25], [50, 50], [25, 75], [0, 100]];
