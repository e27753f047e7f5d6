/**
 * Findings of the external checkers (cfn-lint, Control Tower) over synthesized templates, and the documented
 * lists (test/system/compliance/*.json) that are the only findings allowed. No jest here: the consumer app's run.sh uses
 * the same code through `check.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One finding on one resource of one template, whatever the checker. */
export interface Finding {
  /** The rule: a cfn-lint rule id (`W3010`) or a Control Tower control id (`CT.S3.PR.4`). */
  readonly rule: string;
  /** The template, for messages (e.g. `reference/PaymentTarget.template.json`). */
  readonly template: string;
  /** The resource's logical id (or the top-level section, e.g. a parameter name, when no resource is involved). */
  readonly logicalId: string;
  /** The resource's type (`Parameter` for a template parameter, `` when unknown). */
  readonly type: string;
  /** The resource's construct path (aws:cdk:path), or the logical id if the template has none. */
  readonly constructPath: string;
  /** Where in the template (`Resources/<id>/Properties/...`). */
  readonly location: string;
  /** The checker's message. */
  readonly message: string;
}

/** One entry of an allow-list or by-design list. All given patterns must match; `reason` is what docs/compliance.md says (generated: by-design.ts). */
export interface ListEntry {
  readonly rule: string;
  /** Regex on the resource type (anchored). */
  readonly type: string;
  /** Regex on the construct path (unanchored: anchor it with ^/$). */
  readonly resource: string;
  /** Regex on the location (unanchored). */
  readonly location?: string;
  /** Regex on the message (unanchored). */
  readonly message?: string;
  readonly reason: string;
}

/** The two documented lists, in this directory. */
export const CFN_LINT_ALLOWLIST = path.join(__dirname, 'cfn-lint-allowlist.json');
export const CONTROL_TOWER_BY_DESIGN = path.join(__dirname, 'control-tower-by-design.json');

/** Reads a list file; Control Tower entries name their rule `control`. Checks every entry is complete. */
export function readList(file: string): ListEntry[] {
  const raw = JSON.parse(fs.readFileSync(file, 'utf-8')).entries as any[];
  return raw.map((e, i) => {
    const entry: ListEntry = { ...e, rule: e.rule ?? e.control };
    for (const key of ['rule', 'type', 'resource', 'reason'] as const) {
      if (typeof entry[key] !== 'string' || entry[key].trim() === '') throw new Error(`${file}: entry ${i} has no ${key}`);
    }
    for (const key of ['type', 'resource', 'location', 'message'] as const) {
      if (entry[key] !== undefined) new RegExp(entry[key]!); // throws on a bad pattern
    }
    return entry;
  });
}

/** Whether `entry` covers `finding`. */
export function covers(entry: ListEntry, finding: Finding): boolean {
  return entry.rule === finding.rule
    && new RegExp(`^(${entry.type})$`).test(finding.type)
    && new RegExp(entry.resource).test(finding.constructPath)
    && (entry.location === undefined || new RegExp(entry.location).test(finding.location))
    && (entry.message === undefined || new RegExp(entry.message).test(finding.message));
}

/** The findings no entry covers, and how many findings each entry covers (same order as `entries`). */
export function partition(findings: Finding[], entries: ListEntry[]): { unlisted: Finding[]; used: number[] } {
  const used = entries.map(() => 0);
  const unlisted: Finding[] = [];
  for (const f of findings) {
    let listed = false;
    entries.forEach((e, i) => {
      if (covers(e, f)) {
        used[i]++;
        listed = true;
      }
    });
    if (!listed) unlisted.push(f);
  }
  return { unlisted, used };
}

/** `<rule> <template> <construct path> (<location>): <message>`, one finding a line, for failure messages. */
export function describe(f: Finding): string {
  return `${f.rule} ${f.template} ${f.constructPath} (${f.location}): ${f.message}`;
}

/** Counts per rule, sorted by rule: `W3010 33, W3005 27`. */
export function countsByRule(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([r, n]) => `${r} ×${n}`).join(', ') || 'none';
}

/** The parts of a template the checks read. */
export interface TemplateLike {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Resources?: Record<string, { Type: string; Properties?: any; Metadata?: Record<string, unknown> }>;
}

/** The resource's construct path (aws:cdk:path) or, failing that, the logical id. */
export function pathOf(template: TemplateLike, logicalId: string): string {
  const p = template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : logicalId;
}
