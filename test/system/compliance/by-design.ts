/**
 * What fails by design, as documentation: generated from the two lists the compliance tests read
 * (control-tower-by-design.json, cfn-lint-allowlist.json), one line per entry with its reason, into the section of
 * docs/compliance.md between the BEGIN/END markers below. Nothing else holds these lines: the lists are the source.
 *
 *   npx projen docs:compliance   (runs this file: rewrites the section)
 *
 * by-design.test.ts fails when the committed section differs from what the lists generate. No external tool here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CFN_LINT_ALLOWLIST, CONTROL_TOWER_BY_DESIGN, ListEntry, readList } from './findings';

export const COMPLIANCE_DOC = path.join(__dirname, '..', '..', '..', 'docs', 'compliance.md');
export const BEGIN = '<!-- BEGIN by-design: generated from test/system/compliance/*.json by `npx projen docs:compliance` -->';
export const END = '<!-- END by-design -->';

const line = (e: ListEntry) => `- **${e.rule}** — ${e.reason}`;

/** The generated section (between the markers, markers excluded). */
export function byDesignSection(): string {
  return [
    '',
    '### AWS Control Tower proactive controls (all 237 bundled rules of `@cdklabs/cdk-validator-cfnguard`)',
    '',
    'Every other control passes. These fail by design, each for the reason given',
    '([test/system/compliance/control-tower-by-design.json](../test/system/compliance/control-tower-by-design.json)):',
    '',
    ...readList(CONTROL_TOWER_BY_DESIGN).map(line),
    '',
    '### cfn-lint',
    '',
    'No errors. Warnings allowed, each for the reason given',
    '([test/system/compliance/cfn-lint-allowlist.json](../test/system/compliance/cfn-lint-allowlist.json)):',
    '',
    ...readList(CFN_LINT_ALLOWLIST).map(line),
    '',
  ].join('\n');
}

/** `doc` with its section between the markers replaced by the generated one. */
export function withByDesignSection(doc: string): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${COMPLIANCE_DOC}: the markers ${BEGIN} … ${END} are missing`);
  return `${doc.slice(0, begin + BEGIN.length)}\n${byDesignSection()}\n${doc.slice(end)}`;
}

if (require.main === module) {
  const doc = fs.readFileSync(COMPLIANCE_DOC, 'utf-8');
  const next = withByDesignSection(doc);
  fs.writeFileSync(COMPLIANCE_DOC, next);
  console.log(next === doc ? 'docs/compliance.md: by-design section up to date' : 'docs/compliance.md: by-design section rewritten');
}
