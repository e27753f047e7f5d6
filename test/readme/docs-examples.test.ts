import * as fs from 'fs';
import * as path from 'path';
import { CompilationDependency, RosettaTranslator, typeScriptSnippetFromCompleteSource, TypeScriptSnippet } from 'jsii-rosetta';
import * as ts from 'typescript';

/*
 * The examples under docs/ compile, as jsii-rosetta compiles those of the README and the TSDoc in the build
 * (`rosetta:extract`): each ```ts block in rosetta/default.ts-fixture, against the compiled library (lib/), with
 * rosetta's strict checks, so an example that names a prop or a method the library does not have fails here.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');

/** A block in the default fixture, its imports and `declare`s hoisted to the top, as rosetta's own fixturize does. */
function inFixture(block: string): string {
  const source = ts.createSourceFile('snippet.ts', block, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hoisted = (s: ts.Statement) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) ||
    (ts.isVariableStatement(s) && (s.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
  const text = (keep: boolean) => source.statements.filter((s) => hoisted(s) === keep).map((s) => s.getFullText(source)).join('');
  return `${text(true)}\n${FIXTURE.replace(/\/\/\/[ \t]*here[ \t]*$/im, text(false))}`;
}

/** Every ```ts block of docs/*.md, with where it is. */
function docsSnippets(): TypeScriptSnippet[] {
  const concrete = (dir: string): CompilationDependency => ({ type: 'concrete', resolvedDirectory: fs.realpathSync(dir) });
  const compilationDependencies = {
    'cdk-payment-migration': concrete(ROOT),
    'aws-cdk-lib': concrete(path.join(ROOT, 'node_modules', 'aws-cdk-lib')),
    'constructs': concrete(path.join(ROOT, 'node_modules', 'constructs')),
  };
  return fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).flatMap((file) => {
    const text = fs.readFileSync(path.join(ROOT, 'docs', file), 'utf8');
    return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => {
      const line = text.slice(0, m.index).split('\n').length;
      const snippet = typeScriptSnippetFromCompleteSource(inFixture(m[1]), { api: { api: 'file', fileName: `docs/${file}` }, field: { field: 'markdown', line } }, true);
      return { ...snippet, compilationDependencies };
    });
  });
}

test('every TypeScript example under docs/ compiles against the library, as rosetta compiles the README\'s', async () => {
  const snippets = docsSnippets();
  expect(snippets.length).toBeGreaterThanOrEqual(15);
  const result = await new RosettaTranslator({ includeCompilerDiagnostics: true }).translateAll(snippets, { addToTablet: false });
  // eslint-disable-next-line no-control-regex
  const errors = result.diagnostics.filter((d) => d.isError).map((d) => d.formattedMessage.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0]);
  expect(errors).toEqual([]);
}, 180_000);
