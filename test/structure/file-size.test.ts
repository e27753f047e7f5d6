import * as fs from 'fs';
import * as path from 'path';

/** House rule: no source file over 400 lines — split by responsibility, not by line count. */
const SRC = path.join(__dirname, '..', '..', 'src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.ts$/.test(e.name) ? [full] : [];
  });
}

function lineCount(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source files', () => {
  const files = sourceFiles(SRC);

  test('the check sees the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.map((f) => path.relative(SRC, f))).toContain(path.join('migration-orchestrator', 'migration-orchestrator.ts'));
  });

  test(`no file under src/ has more than ${MAX_LINES} lines`, () => {
    const offenders = files
      .map((f) => ({ file: path.relative(SRC, f), lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES)
      .sort((a, b) => b.lines - a.lines)
      .map((f) => `src/${f.file}: ${f.lines} lines`);
    expect(offenders).toEqual([]);
  });
});
