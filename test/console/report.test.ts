import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleCli, runCli } from './cli-bundle';
import { referenceTemplate } from './reference-stack';

jest.setTimeout(90_000);

// GIVEN the reference target template and the bundled CLI (aws-local-stepfunctions resolved from this project)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-report-'));
const templateFile = path.join(dir, 'PaymentTarget.template.json');
const reportFile = path.join(dir, 'rehearsal.html');
const NODE_PATH = path.join(__dirname, '..', '..', 'node_modules');
let bundle: string;
let dom: string;
let rendered: 'chromium' | 'text';

function chromiumDom(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${file}`], { timeout: 30000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** The SVG elements of one scenario's section with a class, as attribute maps. */
function marks(key: string, cls: string): Array<Record<string, string>> {
  const section = new RegExp(`<section class="run" data-key="${key}"[\\s\\S]*?</section>`).exec(dom)?.[0] ?? '';
  return [...section.matchAll(new RegExp(`<(?:g|rect|line|circle|path) class="${cls}"([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1].matchAll(/data-([a-z]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
}

beforeAll(async () => {
  fs.writeFileSync(templateFile, JSON.stringify(referenceTemplate()));
  bundle = bundleCli();
  const run = await runCli(bundle, 'http://127.0.0.1:9', ['rehearse', templateFile, 'happy-path', 'alarm-event', '--report', reportFile, '--title', 'S1'], { NODE_PATH });
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/✓ happy path.*as expected[\s\S]*✓ healthy hosts alarm .*as expected[\s\S]*Report: .*rehearsal\.html/);
  expect(run.code).toBe(0);
  // WHEN the page is opened in headless Chromium (its DOM after rendering), or read as text where Chromium is missing
  const html = fs.readFileSync(reportFile, 'utf-8');
  const fromChromium = await chromiumDom(reportFile);
  rendered = fromChromium ? 'chromium' : 'text';
  dom = fromChromium ?? html;
  process.stdout.write(`report checked from: ${rendered === 'chromium' ? 'headless Chromium --dump-dom' : 'the HTML text (no chromium on this machine: apt-get install -y chromium)'}\n`);
});

describe('rehearse --report: one self-contained page with an SVG timeline per scenario', () => {
  test('self-contained: no script, no external resource; outcome and figures at the top', () => {
    const html = fs.readFileSync(reportFile, 'utf-8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(dom).toMatch(/<h1>Cutover rehearsal: S1<\/h1>/);
    expect(dom).toMatch(/every scenario ended as expected/);
    expect(dom).toMatch(/<tr><td>alarm-event<\/td><td>ABORTED \(AlarmRollback\)<\/td><td>source 100 \/ target 0<\/td><td>\d+\.\d s from the alarm to the rollback change<\/td>/);
  });

  test('happy path: the weight steps 25 → 50 → 75 → 100, four 5-minute bakes, the writer moving to the target', () => {
    expect(marks('happy-path', 'weight-step').map((m) => [m.source, m.target, m.actor])).toEqual([
      ['75', '25', 'cutover'], ['50', '50', 'cutover'], ['25', '75', 'cutover'], ['0', '100', 'cutover'],
    ]);
    const bakes = marks('happy-path', 'bake');
    expect(bakes.map((b) => b.target)).toEqual(['25', '50', '75', '100']);
    for (const b of bakes) expect(Number(b.to) - Number(b.from)).toBeCloseTo(300, 0);
    expect(marks('happy-path', 'rollback')).toHaveLength(0);
    expect(marks('happy-path', 'alarm-onset')).toHaveLength(0);
    expect(marks('happy-path', 'gate-read').length).toBeGreaterThan(100);
    expect(marks('happy-path', 'writer').map((w) => w.value)).toEqual(['SOURCE', 'TARGET']);
  });

  test('alarm event: 25 → 50, the alarm onset at 7:53, the event-driven rollback to 0 right after it', () => {
    expect(marks('alarm-event', 'weight-step').map((m) => [m.target, m.actor])).toEqual([['25', 'cutover'], ['50', 'cutover'], ['0', 'alarm-rollback']]);
    const [onset] = marks('alarm-event', 'alarm-onset');
    expect(Number(onset.t)).toBeCloseTo(473, 0);
    const [rollback] = marks('alarm-event', 'rollback');
    expect(rollback.actor).toBe('alarm-rollback');
    expect(Number(rollback.t) - Number(onset.t)).toBeGreaterThan(0);
    expect(Number(rollback.t) - Number(onset.t)).toBeLessThan(1);
    // the second bake is cut short by the rollback; the writer never moved
    const bakes = marks('alarm-event', 'bake');
    expect(bakes).toHaveLength(2);
    expect(Number(bakes[1].to)).toBeCloseTo(Number(rollback.t), 1);
    expect(marks('alarm-event', 'writer').map((w) => w.value)).toEqual(['SOURCE']);
  });

  test('without aws-local-stepfunctions: says how to install it, exit 2', async () => {
    const run = await runCli(bundle, 'http://127.0.0.1:9', ['rehearse', templateFile]);
    expect(run.stderr).toMatch(/aws-local-stepfunctions, which is not installed here: npm install --save-dev aws-local-stepfunctions@3\.0\.0/);
    expect(run.code).toBe(2);
  });
});
