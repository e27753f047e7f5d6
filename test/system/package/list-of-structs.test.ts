import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { CutoverSteps } from '../../../src';

/**
 * Lists of structs through jsii: the Python runtime converts a dict given as a struct, but not dicts inside a list
 * (the kernel then refuses them: "Missing required properties for cdk-payment-migration.CutoverStep: 'targetPercent'").
 * Every public API taking a list of structs says how to pass one from Python, and ours refuses what it can detect
 * (a Python-spelled key that reached it, a non-object step) saying what to do.
 */
const ASSEMBLY = path.join(__dirname, '..', '..', '..', '.jsii');

interface TypeRef { readonly fqn?: string; readonly collection?: { readonly kind: string; readonly elementtype: TypeRef } }
interface Docs { readonly summary?: string; readonly remarks?: string }

describe('public APIs that take a list of structs', () => {
  // GIVEN the compiled assembly (the test task runs after compile)
  const assembly = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
  const types: Record<string, any> = assembly.types;
  const listOfStructs = (t: TypeRef | undefined): string | undefined => {
    const element = t?.collection?.kind === 'array' ? t.collection.elementtype : undefined;
    if (!element) return t?.collection ? listOfStructs(t.collection.elementtype) : undefined;
    return element.fqn && types[element.fqn]?.datatype ? element.fqn : listOfStructs(element);
  };
  const text = (...docs: Array<Docs | undefined>) => docs.map((d) => `${d?.summary ?? ''} ${d?.remarks ?? ''}`).join(' ');

  // WHEN every property and parameter of the public API is read
  const found: Array<{ readonly api: string; readonly docs: string }> = [];
  for (const [fqn, type] of Object.entries(types)) {
    // A behavioural interface's list property (an error's `failures`) is read from what the library returns, never passed in.
    const readOnly = type.kind === 'interface' && !type.datatype;
    for (const p of readOnly ? [] : type.properties ?? []) {
      if (listOfStructs(p.type)) found.push({ api: `${fqn}.${p.name}`, docs: text(p.docs) });
    }
    for (const m of [...(type.methods ?? []), ...(type.initializer ? [{ ...type.initializer, name: '<init>' }] : [])]) {
      for (const p of m.parameters ?? []) {
        if (listOfStructs(p.type)) found.push({ api: `${fqn}.${m.name}(${p.name})`, docs: text(m.docs, p.docs) });
      }
    }
  }

  test('are the ones this test knows (a new one must document its Python form too)', () => {
    expect(found.map((f) => f.api).sort()).toEqual([
      'cdk-payment-migration.CutoverSteps.fromSteps(steps)',
      'cdk-payment-migration.CutoverSteps.steps',
    ]);
  });

  test('each says, in its docs, to pass struct objects from Python (dicts inside a list are not converted)', () => {
    const undocumented = found.filter((f) => !/From Python, .*`\w+\(\w+=[^`]*\)`.*dicts inside a list/s.test(f.docs)).map((f) => f.api);
    expect(undocumented).toEqual([]);
  });
});

describe('CutoverSteps.fromSteps refuses what a Python dict or a plain JavaScript caller leaves in the list', () => {
  test.each<[string, unknown[], RegExp]>([
    ['a Python-spelled target_percent', [{ target_percent: 100 }],
      /^CutoverSteps\.fromSteps failed:\n- `steps\[0\]` has `target_percent` where a CutoverStep has `targetPercent`: from Python, pass `CutoverStep\(target_percent=25, bake_time=Duration\.minutes\(5\)\)` objects, not dicts \(the jsii runtime does not convert dicts inside a list\), got: \["target_percent"\]$/],
    ['a Python-spelled bake_time beside targetPercent (the bake would silently be the default)', [{ targetPercent: 50 }, { targetPercent: 100, bake_time: Duration.minutes(5) }],
      /`steps\[1\]` has `bake_time` where a CutoverStep has `bakeTime`: from Python, pass `CutoverStep\(.*got: \["targetPercent","bake_time"\]/],
    ['bare percentages', [25, 100],
      /`steps\[0\]` must be a CutoverStep \(\{ targetPercent: 25, bakeTime: Duration\.minutes\(5\) \}; for bare percentages use CutoverSteps\.of\(\[25, 100\]\)\), got: 25\n- `steps\[1\]` must be a CutoverStep .*got: 100$/],
    ['a null step', [{ targetPercent: 50 }, null], /`steps\[1\]` must be a CutoverStep .*got: null$/],
  ])('%s', (_, steps, message) => {
    // WHEN / THEN
    expect(() => CutoverSteps.fromSteps(steps as any)).toThrow(message);
  });

  test('accepts struct objects with their own bake times', () => {
    const steps = CutoverSteps.fromSteps([{ targetPercent: 50, bakeTime: Duration.minutes(5) }, { targetPercent: 100 }]);
    expect(steps.steps.map((s) => s.targetPercent)).toEqual([50, 100]);
  });
});
