/*
 * integ-runner verifies the templates of a snapshot's top-level stacks only: it skips the nested cloud assemblies of
 * Stages (`cdk:cloud-assembly` artifacts), where the on-premises test's payment stacks are. This test verifies those:
 * it synthesizes each deployment test as integ-runner does (the app, with aws-cdk-lib's recommended feature flags as
 * context) and compares every template of every nested assembly with the committed snapshot. A difference means the
 * snapshot is stale: `npx projen integ:update`, then review the diff.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

jest.setTimeout(180_000);

const DIR = __dirname;
const ROOT = path.join(DIR, '..', '..', '..');

/** The nested assemblies of a cloud assembly directory (a Stage each), by directory. */
function nestedAssemblies(dir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
  return Object.values<any>(manifest.artifacts ?? {})
    .filter((a) => a.type === 'cdk:cloud-assembly')
    .map((a) => a.properties.directoryName as string);
}

/** The templates of a nested assembly, by file name; an integ assertion's `salt` (the time of the synth) left out. */
function templates(dir: string): Record<string, unknown> {
  const unsalted = (_k: string, v: unknown) => (v !== null && typeof v === 'object' && 'salt' in v ? { ...(v as object), salt: '<salt>' } : v);
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8'), unsalted)]));
}

const STAGED = fs.readdirSync(DIR)
  .filter((f) => /^integ\..*\.ts$/.test(f) && fs.existsSync(path.join(DIR, `${f}.snapshot`, 'manifest.json')))
  .filter((f) => nestedAssemblies(path.join(DIR, `${f}.snapshot`)).length > 0);

test('a deployment test has stages to verify (else integ-runner verifies it whole)', () => {
  expect(STAGED).toContain('integ.on-premises.ts');
});

test.each(STAGED)('%s: every staged template is the committed snapshot\'s', (file) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-'));
  try {
    const synth = spawnSync('npx', ['ts-node', '--prefer-ts-exts', path.join(DIR, file)], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify(CURRENTLY_RECOMMENDED_FLAGS) },
      encoding: 'utf-8',
    });
    expect(synth.stderr.split('\n').filter((l) => /Error/.test(l))).toEqual([]);
    expect(synth.status).toBe(0);
    const snapshot = path.join(DIR, `${file}.snapshot`);
    const stages = nestedAssemblies(snapshot);
    expect(nestedAssemblies(out)).toEqual(stages);
    for (const stage of stages) {
      const [expected, actual] = [templates(path.join(snapshot, stage)), templates(path.join(out, stage))];
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const name of Object.keys(expected)) {
        // one template at a time, named, so that a failure says which stack's snapshot is stale
        expect({ [`${stage}/${name}`]: actual[name] }).toEqual({ [`${stage}/${name}`]: expected[name] });
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
