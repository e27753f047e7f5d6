/**
 * The by-design section of docs/compliance.md is generated from the lists (by-design.ts): it cannot drift from them.
 */
import * as fs from 'fs';
import { COMPLIANCE_DOC, withByDesignSection } from './by-design';
import { CFN_LINT_ALLOWLIST, CONTROL_TOWER_BY_DESIGN, readList } from './findings';

describe('docs/compliance.md says what the lists say', () => {
  const doc = fs.readFileSync(COMPLIANCE_DOC, 'utf-8');

  test('its by-design section is what the lists generate (else run `npx projen docs:compliance`)', () => {
    expect(doc).toEqual(withByDesignSection(doc));
  });

  test('one line per entry of both lists, with its reason', () => {
    for (const entry of [...readList(CONTROL_TOWER_BY_DESIGN), ...readList(CFN_LINT_ALLOWLIST)]) {
      expect(doc).toContain(`- **${entry.rule}** — ${entry.reason}\n`);
    }
  });
});
