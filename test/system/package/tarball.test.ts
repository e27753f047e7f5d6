import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * What users download from npm: `npm pack --json` in the repository root into a temporary directory, after compile
 * (the test task runs jest after it). Only what a TypeScript/JavaScript user runs, at most 1.5 MB packed, and the
 * `bin` entries executable in the tarball itself (jsii's Python, Java, .NET and Go packages run them from it).
 */
const ROOT = path.join(__dirname, '..', '..', '..');
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
interface Packed { readonly size: number; readonly unpackedSize: number; readonly files: PackedFile[]; readonly filename: string }

function pack(destination: string): Packed {
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  return JSON.parse(out)[0];
}

interface TarEntry { readonly path: string; readonly mode: number; readonly content: Buffer }

/** The regular files of a .tgz as npm wrote them (ustar headers, pax `path` records), with their modes. */
function readTarball(file: string): Map<string, TarEntry> {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const field = (block: Buffer, start: number, length: number) => block.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
  const octal = (block: Buffer, start: number, length: number) => parseInt(field(block, start, length).trim() || '0', 8);
  const entries = new Map<string, TarEntry>();
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const content = tar.subarray(at + 512, at + 512 + size);
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString('utf8'))?.[1];
    } else if (type === '0') {
      const prefix = field(header, 345, 155);
      const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
      entries.set(name.replace(/^package\//, ''), { path: name, mode: octal(header, 100, 8), content });
      paxPath = undefined;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('the npm package', () => {
  let packed: Packed;
  let entries: Map<string, TarEntry>;
  const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'tarball-test-'));
  afterAll(() => fs.rmSync(destination, { recursive: true, force: true }));

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
        fs.writeFileSync(file, 'planted by test/system/package/tarball.test.ts\n');
        planted.push(file);
      }
      packed = pack(destination);
      entries = readTarball(path.join(destination, packed.filename));
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

  test('packs every `bin` entry executable, with a node shebang (jsii\'s Python/Java/.NET/Go packages run the file)', () => {
    const bins: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin;
    expect(Object.keys(bins).sort()).toEqual(['payment-migration', 'payment-migration-rehearse']);
    const found = Object.entries(bins).map(([name, file]) => {
      const entry = entries.get(path.posix.normalize(file));
      return {
        name,
        file,
        mode: entry ? `0${(entry.mode % 0o1000).toString(8)}` /* the permission bits */ : 'missing',
        shebang: entry?.content.toString('utf8').split('\n')[0],
      };
    });
    // every run bit (npm itself would restore only on install; the jsii runtimes exec the file as packed)
    expect(found).toEqual(found.map((f) => ({ ...f, mode: '0755', shebang: '#!/usr/bin/env node' })));
    // the reader sees real modes: an ordinary module is packed 0644
    expect((entries.get('lib/index.js')?.mode ?? 0) % 0o1000).toBe(0o644);
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
