import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { PythonVisitor, Translator, typeScriptSnippetFromVisibleSource } from 'jsii-rosetta';

/**
 * Every README and TSDoc example translates to valid Python: what Construct Hub and the generated Python docs show.
 *
 * The translations are the build's own: post-compile runs `jsii-rosetta extract --strict --compile`, which writes
 * every example of the assembly (the README and each `@example`), type-checked and translated, into `.jsii.tabl.json`
 * before the test task runs jest. This test byte-compiles each Python translation with `python3` (`compile()`, as
 * `py_compile` does, warnings as errors). A README example edited after that build step is translated here instead
 * (rosetta without type checking, the same Python visitor), so the README on disk is always the one checked.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const TABLET = path.join(ROOT, '.jsii.tabl.json');
const ASSEMBLY = path.join(ROOT, '.jsii');

interface Example { readonly name: string; readonly typescript: string; readonly python: string }
interface PythonError { readonly name: string; readonly line: number; readonly msg: string; readonly text: string }

/** Byte-compiles each source in one python3 process; returns the failures. */
function pythonSyntaxErrors(sources: ReadonlyArray<{ readonly name: string; readonly source: string }>): PythonError[] {
  const script = [
    'import json, sys, warnings',
    "warnings.simplefilter('error')",
    'out = []',
    'for s in json.load(sys.stdin):',
    '    try:',
    "        compile(s['source'], s['name'], 'exec', dont_inherit=True)",
    '    except (SyntaxError, ValueError, Warning) as e:',
    "        out.append({'name': s['name'], 'line': getattr(e, 'lineno', 0) or 0, 'msg': getattr(e, 'msg', str(e)), 'text': (getattr(e, 'text', '') or '').rstrip()})",
    'print(json.dumps(out))',
  ].join('\n');
  let out: string;
  try {
    out = execFileSync('python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`python3 is needed to byte-compile the Python translations (it also runs codegen:check): ${(e as Error).message}`);
  }
  return JSON.parse(out);
}

function readJson(file: string): any {
  const raw = fs.readFileSync(file);
  return JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString('utf8'));
}

/** Every `docs.example` anywhere in the assembly's types (types, members, parameters). */
function assemblyExamples(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((n) => assemblyExamples(n, found));
  } else if (typeof node === 'object' && node !== null) {
    const example = (node as { docs?: { example?: unknown } }).docs?.example;
    if (typeof example === 'string') found.push(example);
    Object.values(node).forEach((n) => assemblyExamples(n, found));
  }
  return found;
}

/** The README's TypeScript blocks, as rosetta finds them (fenced `ts`/`typescript`), with their line numbers. */
function readmeBlocks(): Array<{ readonly line: number; readonly source: string }> {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: Array<{ line: number; source: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\b/.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    blocks.push({ line: i + 1, source: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Rosetta's Python for one snippet, without type checking (for README text newer than the build's tablet). */
function translateToPython(source: string, fileName: string, line: number): string {
  const snippet = typeScriptSnippetFromVisibleSource(source, { api: { api: 'file', fileName }, field: { field: 'markdown', line } }, false);
  return new Translator(false).translatorFor(snippet).renderUsing(new PythonVisitor());
}

describe('the README and TSDoc examples in Python', () => {
  let examples: Example[];
  let translatedHere: string[];

  beforeAll(() => {
    if (!fs.existsSync(TABLET) || !fs.existsSync(ASSEMBLY)) {
      throw new Error('.jsii.tabl.json or .jsii is missing: compile first (npx projen compile && npx projen post-compile; the build runs both before the tests)');
    }
    const snippets: Record<string, any> = readJson(TABLET).snippets;
    const where = (loc: any) => {
      const api = loc.api;
      const at = api.api === 'moduleReadme' ? 'README.md' : api.api === 'file' ? api.fileName : `${api.fqn}${api.memberName ? `#${api.memberName}` : ''}`;
      return loc.field?.field === 'markdown' ? `${at}:${loc.field.line}` : `${at} @example`;
    };
    examples = Object.values(snippets).map((s) => ({
      name: where(s.location),
      typescript: s.translations.$.source,
      python: s.translations.python.source,
    }));

    // A README block the tablet does not hold yet (README edited after the build's rosetta step): translate it here.
    const inTablet = new Set(examples.map((e) => e.typescript.trim()));
    const fresh = readmeBlocks().filter((b) => !inTablet.has(b.source.trim()));
    translatedHere = fresh.map((b) => `README.md:${b.line}`);
    for (const b of fresh) {
      examples.push({ name: `README.md:${b.line}`, typescript: b.source, python: translateToPython(b.source, 'README.md', b.line) });
    }
  }, 60_000);

  test('the tablet holds every @example of the assembly (else it is older than the compile)', () => {
    const inTablet = new Set(examples.map((e) => e.typescript.trim()));
    const missing = assemblyExamples(readJson(ASSEMBLY).types).filter((e) => !inTablet.has(e.trim()));
    if (missing.length > 0) {
      throw new Error(`.jsii.tabl.json lacks ${missing.length} @example(s) of .jsii: run npx projen post-compile (it runs rosetta:extract)\n${missing.join('\n---\n')}`);
    }
    expect(examples.length).toBeGreaterThanOrEqual(readmeBlocks().length);
  });

  test('every Python translation byte-compiles', () => {
    if (translatedHere.length > 0) console.log(`translated here (newer than the tablet): ${translatedHere.join(', ')}`);
    const errors = pythonSyntaxErrors(examples.map((e) => ({ name: e.name, source: e.python })));
    const report = errors.map((e) => `${e.name}: line ${e.line}: ${e.msg}: ${e.text}`);
    expect(report).toEqual([]);
    // every README block and every @example of the assembly was compiled (not a fixed count: the docs move)
    expect(examples.length).toBeGreaterThanOrEqual(readmeBlocks().length + new Set(assemblyExamples(readJson(ASSEMBLY).types)).size);
  });

  test('the check catches a Python keyword used as a variable (the `global` the README once declared)', () => {
    const python = translateToPython("const global = new AuroraGlobalCluster(this, 'Global', { globalClusterIdentifier: 'g' });", 'probe.md', 1);
    expect(python).toMatch(/^global = AuroraGlobalCluster\(/m);
    expect(pythonSyntaxErrors([{ name: 'probe', source: python }])).toEqual([expect.objectContaining({ name: 'probe', line: 1 })]);
  });
});
