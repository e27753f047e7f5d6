/**
 * Keeps the README and the documents under docs/ honest where the code can say what is true (the README is at most
 * 400 lines; what moved out of it into docs/ is checked where it now lives): every name it mentions is read from the code and
 * from synthesized templates, never from a copied list — scenario names (the rehearsal's standard scenarios), stack
 * outputs (both reference migrations, with each traffic shifter), the console's commands, options and exit codes,
 * the projen tasks and package bins it tells you to run, the files and sections it links to (and the README sections
 * that comments in the code point to), and a few claims checked against the templates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildOnPremisesMigration } from '../../examples/on-premises/app';
import { buildReferenceMigration } from '../../examples/reference/app';
import { HELP, parseArgs } from '../../src/console/cli';
import { EXIT } from '../../src/private/exit-codes';
import { STANDARD_SCENARIOS } from '../../src/rehearsal/standard-scenarios';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { bundleHandler } from '../weighted-cutover/bundle';

const ROOT = path.join(__dirname, '..', '..');
const FENCE = /^```.*\n[\s\S]*?^```/gm;
/** The README and every document under docs/, by path from the repository's root. */
const DOCUMENTS = new Map<string, string>([
  'README.md',
  ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
].map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf-8')]));
/** A document without its code blocks (headings and links in code are not the document's own). */
const proseOf = (text: string) => text.replace(FENCE, '');
/** All the documentation as one text: the README's facts moved into docs/ are checked where they now live. */
const README = [...DOCUMENTS.values()].join('\n\n');
const PROSE = proseOf(README);
const CODE = (README.match(FENCE) ?? []).join('\n');
const unique = (xs: string[]) => [...new Set(xs)].sort();
const matches = (text: string, re: RegExp, group = 1) => [...text.matchAll(re)].map((m) => m[group]);

// --- Every stack output the two reference migrations can have, with each traffic shifter
function outputsOf(build: (app: App) => unknown): string[] {
  const app = new App();
  build(app);
  return app.node.findAll().filter(Stack.isStack).flatMap((s) => Object.keys(Template.fromStack(s).toJSON().Outputs ?? {}));
}
bundleHandler();
bundlePeerRoutesHandler();
const OUTPUTS = unique([
  ...outputsOf((app) => buildReferenceMigration(app, undefined, 'dns')),
  ...outputsOf((app) => buildReferenceMigration(app, undefined, 'global-accelerator')),
  ...outputsOf((app) => buildOnPremisesMigration(app, undefined, 'dns')),
  ...outputsOf((app) => buildOnPremisesMigration(app, undefined, 'load-balancer')),
]);
const withoutHash = (id: string) => id.replace(/[0-9A-F]{8}$/, '');

/** Whether `name` is an output: its logical id (exact, when the README shows the hash), or the id's last words. */
function isOutput(name: string): boolean {
  if (/[0-9A-F]{8}$/.test(name) && withoutHash(name) !== name) return OUTPUTS.includes(name);
  return OUTPUTS.some((id) => withoutHash(id).endsWith(name));
}

describe('the README and docs/ name only what exists', () => {
  test('the scenarios it lists are exactly the rehearsal\'s standard scenarios; those it runs exist', () => {
    const paragraph = PROSE.slice(PROSE.indexOf('\nScenarios: '), PROSE.indexOf('or a scenario JSON file'));
    const listed = matches(paragraph, /`([^`]+)`/g).flatMap((list) => list.split(/\s+/));
    expect(unique(listed)).toEqual(unique(Object.keys(STANDARD_SCENARIOS)));
    const run = matches(README, /payment-migration(?:-rehearse| rehearse) \S+\.template\.json ((?:[a-z][a-z-]+ ?)+)/g).flatMap((l) => l.trim().split(' '));
    expect(run.length).toBeGreaterThan(0);
    expect(run.filter((name) => !STANDARD_SCENARIOS[name])).toEqual([]);
  });

  test('every output it mentions is an output of a synthesized reference migration', () => {
    const mentioned = unique([
      ...matches(README, /`(\w+)` output/g),
      ...matches(README, /\boutput `(\w+)`/g),
      ...matches(README, /\boutput ([A-Z]\w+)/g),
      ...matches(README, /\bthe ([A-Z]\w+) output/g),
      ...matches(README, /<([A-Z]\w+) output>/g),
      ...matches(README, /`((?:Migration)?Runbook\w+)`/g),
      ...matches(README, /`(\w+)` section of `payment-migration runbook`/g),
      ...matches(CODE, /^## (\w+) — /gm), // `payment-migration runbook` as captured: the outputs' logical ids
    ]);
    expect(mentioned.length).toBeGreaterThan(12);
    expect(mentioned.filter((name) => !isOutput(name))).toEqual([]);
  });

  test('every console command and option it shows is one the console parses', () => {
    // as a command: after `npx `, a backtick, a colon or semicolon, two spaces, or at a line's start
    const invocations = matches(README, /(?<=npx |`|^|: |; | {2})payment-migration ((?:[a-z]+\|)*[a-z]+(?: (?:--[a-z-]+|<[^>]+>|\[[^\]]*\]|"[^"]*"|[\w./-]+))*)/gm);
    expect(invocations.length).toBeGreaterThan(30);
    const refused: string[] = [];
    for (const invocation of invocations) {
      const [commands, ...rest] = invocation.split(' ');
      const options = rest.flatMap((word) => word.match(/^\[?(--[a-z-]+)/)?.[1] ?? []);
      for (const command of commands.split('|')) {
        for (const argv of [[command], ...options.map((o) => [command, o, 'value'])]) {
          try {
            parseArgs(argv);
          } catch (e) {
            refused.push(`payment-migration ${argv.join(' ')}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(refused).toEqual([]);
  });

  test('the exit codes it documents are the console\'s, in the table, the prose and the captured sessions', () => {
    const table = PROSE.slice(PROSE.indexOf('**Exit codes**'), PROSE.indexOf('\n\n', PROSE.indexOf('| code | meaning |')));
    const codes = (xs: string[]) => unique(xs).map(Number).sort((a, b) => a - b);
    const exits = Object.values(EXIT).sort((a, b) => a - b);
    expect(codes(matches(table, /^\| (\d+) \|/gm))).toEqual(exits);
    expect(codes(matches(HELP.slice(HELP.indexOf('Exit codes')), /(?:^ *| {2,})(\d{1,3}) +(?=[A-Za-z(])/gm))).toEqual(exits);
    const used = codes([...matches(PROSE, /\bexits? (\d+)/g), ...matches(CODE, /^\$ echo \$\?\n(\d+)$/gm), ...matches(CODE, /^ {2}(\d+)\) /gm)]);
    expect(used.length).toBeGreaterThan(3);
    expect(used.filter((c) => !exits.includes(c as any))).toEqual([]);
  });

  test('the projen tasks and package bins it tells you to run exist', () => {
    const tasks = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks);
    const told = unique(matches(README, /npx projen ([a-z][\w:-]*)/g));
    expect(told.filter((t) => !tasks.includes(t))).toEqual([]);
    const bins = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).bin);
    expect(unique(matches(README, /npx (payment-migration[\w-]*)/g)).filter((b) => !bins.includes(b))).toEqual([]);
  });
});

// --- Links and sections
/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
/** A document's headings (outside its code blocks), without their backticks. */
const headingsOf = (file: string) => matches(proseOf(DOCUMENTS.get(file) ?? ''), /^#{1,6} (.+)$/gm).map((h) => h.replace(/`/g, ''));

/** Every text file of the repository's own sources (not generated, not dependencies). */
function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return /snapshot|node_modules/.test(e.name) ? [] : sources(rel);
    return /\.(ts|md|json)$/.test(e.name) ? [rel] : [];
  });
}

describe('the README is short', () => {
  test('at most 400 lines: the rest lives under docs/', () => {
    expect(DOCUMENTS.get('README.md')!.split('\n').length).toBeLessThanOrEqual(400);
    expect(DOCUMENTS.size).toBeGreaterThan(5);
  });
});

describe('the links of the README and docs/, and the code\'s pointers into them, lead somewhere', () => {
  test('every file it links to or names by path exists', () => {
    const named = matches(README, /`((?:src|test|examples|docs|assets|bench|projenrc)\/[^`\s*<…]+)`/g);
    expect(named.length).toBeGreaterThan(5);
    expect(unique(named).filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  test('every relative link of every document resolves: the file exists and, with an #anchor, holds that heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const [file, text] of DOCUMENTS) {
      for (const [, target, anchor] of proseOf(text).matchAll(/\]\((?!https?:|mailto:)([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        checked++;
        const to = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file;
        if (!fs.existsSync(path.join(ROOT, to))) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && !headingsOf(to).map(slug).includes(anchor)) broken.push(`${file}: ${target}#${anchor} (no such heading)`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(broken).toEqual([]);
  });

  test('the README links to each of its own sections it lists, and to every document under docs/', () => {
    const readme = proseOf(DOCUMENTS.get('README.md')!);
    expect(unique(matches(readme, /\]\(#([^)]+)\)/g)).length).toBeGreaterThan(3);
    const linked = matches(readme, /\]\((docs\/[^)#\s]+\.md)/g);
    expect([...DOCUMENTS.keys()].filter((f) => f.startsWith('docs/') && !linked.includes(f))).toEqual([]);
  });

  test('no heading names a project issue', () => {
    const headings = [...DOCUMENTS.keys()].flatMap(headingsOf);
    expect(headings.filter((h) => /\bissue\s*#?\d+|#\d+\b/i.test(h))).toEqual([]);
  });

  test('sections of the README and files and sections under docs/ that comments point to exist', () => {
    const files = [...sources('src'), ...sources('test'), ...sources('examples'), '.projenrc.ts'];
    const pointers = files.flatMap((f) => {
      // a comment's line breaks (and its leading `*` or `//`) read as spaces
      const text = fs.readFileSync(path.join(ROOT, f), 'utf-8').replace(/\s*\n\s*(?:\*(?!\/)|\/\/)?\s*/g, ' ');
      return [
        ...matches(text, /README(?:'s)?,? (?:section )?"([^"]+)"/g).map((section) => ({ f, doc: 'README.md', section })),
        ...matches(text, /\b(docs\/[\w./-]*\w)/g).map((doc) => ({ f, doc, section: undefined as string | undefined })),
        ...[...text.matchAll(/\b(docs\/[\w./-]*\.md),? (?:section )?"([^"]+)"/g)].map((m) => ({ f, doc: m[1], section: m[2] })),
      ];
    });
    expect(pointers.filter((p) => p.section && p.doc !== 'README.md').length).toBeGreaterThan(2);
    const broken = pointers.filter((p) => !fs.existsSync(path.join(ROOT, p.doc))
      || (p.section !== undefined && !headingsOf(p.doc).includes(p.section)));
    expect(broken).toEqual([]);
  });
});

// --- Claims checked against the templates
describe('what the README says of the templates', () => {
  const app = new App();
  buildOnPremisesMigration(app);
  const onPremises = Template.fromStack(app.node.findAll().filter(Stack.isStack).find((s) => s.stackName === 'payments-aws-production')!);
  const reference = Template.fromStack(buildReferenceMigration(new App()).target);

  test('"nobody is paged" after a cutover: no alarm acts on INSUFFICIENT_DATA, and the replication alarms treat missing data as missing', () => {
    for (const template of [onPremises, reference]) {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.filter((a) => a.Properties.InsufficientDataActions)).toEqual([]);
      const replication = alarms.filter((a) => /^(AuroraGlobalDBReplicationLag|CDCLatencySource|CDCLatencyTarget)$/.test(a.Properties.MetricName));
      expect(replication.length).toBeGreaterThan(0);
      expect(unique(replication.map((a) => a.Properties.TreatMissingData))).toEqual(['missing']);
    }
  });

  test('the target group is HTTPS on `targetPort` (443), with `/health`', () => {
    reference.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 443, Protocol: 'HTTPS', HealthCheckPath: '/health' });
  });
});
