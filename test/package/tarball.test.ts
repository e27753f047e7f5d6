import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What users download from npm: `npm pack --dry-run --json` in the repository root, after compile (the test task
 * runs jest after it). Only what a TypeScript/JavaScript user runs, and at most 1.5 MB packed.
 */
const ROOT = path.join(__dirname, '..', '..');
const MAX_PACKED_BYTES = 1.5 * 1024 * 1024;

/** Every path the package may hold (npm always adds package.json, README and LICENSE). */
const ALLOWED: RegExp[] = [
  /^lib\/.+\.js$/,
  /^lib\/.+\.d\.ts$/,
  /^assets\/[a-z0-9-]+\/index\.js$/,
  // the operator console (`payment-migration` bin): one minified bundle with only the SDK clients it calls
  /^assets\/console\/payment-migration\.js$/,
  /^\.jsii$/,
  /^README\.md$/,
  /^API\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];

/**
 * Things the package must never hold, planted where the build or a developer leaves them when they are not there
 * already (the build runs codegen:check after jest, so dist-codegen/ may not exist yet), removed afterwards.
 */
const PLANTED = [
  'dist-codegen/python/src/cdk_payment_migration/__init__.py',
  'dist-codegen/java/pom.xml',
  '.jsii.tabl.json',
  'tsconfig.tsbuildinfo',
  'lib/tsconfig.tsbuildinfo',
  'lib/planted.test.js',
  'coverage/lcov.info',
  'test-reports/junit.xml',
];

interface PackedFile { readonly path: string; readonly size: number }
interface Packed { readonly size: number; readonly unpackedSize: number; readonly files: PackedFile[] }

function pack(): Packed {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  return JSON.parse(out)[0];
}

describe('the npm package', () => {
  let packed: Packed;

  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      throw new Error('lib/index.js is missing: compile first (npx projen compile); the test task runs jest after compile');
    }
    const planted: string[] = [];
    const createdDirs: string[] = [];
    try {
      for (const rel of PLANTED) {
        const file = path.join(ROOT, rel);
        if (fs.existsSync(file)) continue;
        let dir = path.dirname(file);
        const missing: string[] = [];
        while (!fs.existsSync(dir)) {
          missing.unshift(dir);
          dir = path.dirname(dir);
        }
        missing.forEach((d) => fs.mkdirSync(d));
        createdDirs.unshift(...missing.reverse());
        fs.writeFileSync(file, 'planted by test/package/tarball.test.ts\n');
        planted.push(file);
      }
      packed = pack();
    } finally {
      planted.forEach((f) => fs.rmSync(f, { force: true }));
      for (const d of createdDirs) {
        if (fs.existsSync(d) && fs.readdirSync(d).length === 0) fs.rmdirSync(d);
      }
    }
  }, 120_000);

  test('holds only lib/, assets/, .jsii, README.md, API.md, LICENSE and package.json', () => {
    const outside = packed.files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)));
    expect(outside).toEqual([]);
  });

  test('holds what a user runs: the constructs, the jsii assembly, the API docs and both bundled handlers', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      'lib/index.js',
      'lib/index.d.ts',
      '.jsii',
      'API.md',
      'README.md',
      'LICENSE',
      'package.json',
      'assets/weighted-records/index.js',
      'assets/peer-routes/index.js',
      'assets/console/payment-migration.js',
    ]));
  });

  test('no generated bindings, build leftovers, tests or TypeScript sources', () => {
    const bad = packed.files.map((f) => f.path).filter((p) =>
      /^dist-codegen\/|\.tsbuildinfo$|\.jsii\.tabl\.json$|\.test\.(js|d\.ts)$|^(src|test|coverage|test-reports)\/|(?<!\.d)\.ts$/.test(p));
    expect(bad).toEqual([]);
  });

  test('is at most 1.5 MB packed', () => {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
    const byTop = new Map<string, number>();
    for (const f of packed.files) {
      const top = f.path.split('/')[0];
      byTop.set(top, (byTop.get(top) ?? 0) + f.size);
    }
    console.log(
      `npm package: ${mb(packed.size)} packed, ${mb(packed.unpackedSize)} unpacked, ${packed.files.length} files ` +
        `(${[...byTop].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mb(v)}`).join(', ')})`,
    );
    expect(packed.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });
});
