/*
 * `npx projen bench` and `npx projen simulate` run the scripts under bench/ with ts-node, outside jest, on templates
 * built by the test fixtures. A fixture that needs jest at load (its `expect`) breaks them, and no jest test would
 * notice: these run the scripts' own way.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const TS_NODE = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

function tsNode(args: string[]) {
  return spawnSync(TS_NODE, ['--transpile-only', '--prefer-ts-exts', ...args], { cwd: ROOT, encoding: 'utf-8', timeout: 120_000 });
}

test('every test module a bench script imports loads outside jest', () => {
  const imported = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts')).flatMap((f) =>
    [...fs.readFileSync(path.join(ROOT, 'bench', f), 'utf-8').matchAll(/^import .* from '\.\.\/(test\/[^']+)';$/gm)].map((m) => `./${m[1]}`));
  expect(imported.length).toBeGreaterThan(1);
  const r = tsNode(['-e', imported.map((m) => `require(${JSON.stringify(m)});`).join('')]);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
});

test('the simulation bench runs to its figures and exits', () => {
  const r = tsNode(['bench/simulation.ts', '--seeds', '2', '--path', 'dms-lb']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/seeds run +1\n/);
  expect(r.stdout).toMatch(/violations +0\n/);
});
