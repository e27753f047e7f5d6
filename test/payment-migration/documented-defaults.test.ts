import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { onPremises, target } from './fixtures';

/**
 * Every `@default` of the cutover options must be true on every path that reads it: the documentation comes from the
 * jsii assembly (what API.md and the four languages show), the behaviour from the synthesized state machine.
 */
const assemblyPath = path.join(__dirname, '..', '..', '.jsii');

function documentedDefault(type: string, prop: string): string {
  if (!fs.existsSync(assemblyPath)) {
    throw new Error('.jsii is missing: compile first (npx projen compile)');
  }
  const assembly = JSON.parse(fs.readFileSync(assemblyPath, 'utf8'));
  // the prop as the type declares it or inherits it (CutoverOptions extends MigrationOrchestratorOptions)
  const declared = (fqn: string): any => {
    const t = assembly.types[fqn];
    return t?.properties?.find((p: any) => p.name === prop) ?? (t?.interfaces ?? []).map(declared).find((p: any) => p !== undefined);
  };
  const found = declared(`cdk-payment-migration.${type}`);
  if (!found?.docs?.default) {
    throw new Error(`${type}.${prop} documents no @default`);
  }
  return found.docs.default;
}

function cutoverDefinition(template: Template): string {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const cutover = machines.find((m: any) => JSON.stringify(m.Properties.DefinitionString).includes('Payment migration cutover'));
  if (!cutover) throw new Error('no cutover state machine');
  return JSON.stringify(cutover.Properties.DefinitionString);
}

/** The value a path's documentation gives, from "true"/"false" or "- false with `X`…; true with `Y`…". */
function documentedFor(doc: string, side: 'targetRegion' | 'datacenterToAws'): boolean {
  if (doc === 'true' || doc === 'false') return doc === 'true';
  const m = new RegExp(`(true|false) with \`MigrationSide\\.${side}\``).exec(doc.replace(/\s+/g, ' '));
  if (!m) throw new Error(`the default "${doc}" does not say what it is with MigrationSide.${side}`);
  return m[1] === 'true';
}

const sides = {
  targetRegion: cutoverDefinition(target().template),
  datacenterToAws: cutoverDefinition(onPremises().template),
};

describe('CutoverOptions: the documented default is the synthesized one, on both paths', () => {
  test.each([
    ['approveBeforeSwitchover', /Approval: before switchover/],
    ['approveBeforeFirstStep', /Approval: before first step/],
    ['switchover', /Switchover: claim the record/],
  ])('%s', (prop, state) => {
    const doc = documentedDefault('CutoverOptions', prop);
    for (const side of ['targetRegion', 'datacenterToAws'] as const) {
      expect({ side, present: state.test(sides[side]) }).toEqual({ side, present: documentedFor(doc, side) });
    }
  });

  test('steps and bake: CutoverSteps.linear(4), 5 minutes', () => {
    expect(documentedDefault('CutoverOptions', 'steps')).toBe('CutoverSteps.linear(4)');
    expect(documentedDefault('CutoverOptions', 'bakeTime')).toBe('Duration.minutes(5)');
    for (const definition of Object.values(sides)) {
      expect(definition).toMatch(/Step 4 \(100%\)/);
      expect(definition).not.toMatch(/Step 5/);
      expect(definition).toContain('"remaining\\":300');
    }
  });
});
