import * as fs from 'fs';
import * as path from 'path';

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/**
 * Before any suite: the props' type checks come from the jsii assembly (`.jsii`) and the docs' examples compile
 * against `lib/`, both made by `npx projen compile` (the build always compiles first). A source edited since then
 * means the tests check the previous compile's types: say so, once, before the results.
 */
export default function globalSetup(): void {
  const root = path.join(__dirname, '..', '..');
  const assembly = path.join(root, '.jsii');
  if (!fs.existsSync(assembly)) return; // src/private/assembly-types.ts refuses to run, naming the command
  const compiled = fs.statSync(assembly).mtimeMs;
  const newer = sources(path.join(root, 'src')).filter((f) => fs.statSync(f).mtimeMs > compiled);
  if (newer.length > 0) {
    process.stderr.write(
      `\n${newer.length} file(s) under src/ changed since the last \`npx projen compile\` (${path.relative(root, newer[0])}` +
        `${newer.length > 1 ? ', …' : ''}): the props' type checks (.jsii) and lib/ are the previous compile's. ` +
        'Run `npx projen compile` first if a public type changed.\n\n',
    );
  }
}
