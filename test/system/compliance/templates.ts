/**
 * The templates of both reference migrations, synthesized in-process once per jest run and shared by the compliance
 * suites (cfn-lint, Control Tower, pre-flight), which run in separate workers.
 *
 * The apps are synthesized into `<tmpdir>/payment-migration-compliance-<hash>`, where the hash covers everything
 * the synthesis reads (src/, the two example apps and their cdk.json, the bundled handlers, the aws-cdk-lib
 * version): a worker that finds a complete directory for the current hash reuses it; workers that start together
 * wait on a lock file for the first one. A change to any input gives a new directory, so a stale template is never
 * checked.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildOnPremisesMigration } from '../../../examples/on-premises/app';
import { buildReferenceMigration } from '../../../examples/reference/app';
import { bundlePeerRoutesHandler } from '../../regional-network/bundle';
import { bundleHandler } from '../../weighted-cutover/bundle';

const ROOT = path.join(__dirname, '..', '..', '..');

/** One synthesized template of a reference app. */
export interface SynthesizedTemplate {
  /** Which reference app: `reference` or `on-premises`. */
  readonly app: string;
  /** The stack's artifact id, e.g. `PaymentTarget` or `awsproductionPayments4B0F8C4A`. */
  readonly stack: string;
  /** The template file (absolute). */
  readonly file: string;
  /** `<app>/<path under the app's cloud assembly>`, for messages. */
  readonly name: string;
  /** The stack's region, from its cloud assembly's manifest. */
  readonly region: string;
  /** The parsed template. */
  readonly template: CfnTemplate;
}

/** The parts of a CloudFormation template the checks read. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown; Description?: string }>;
  readonly Resources: Record<string, { Type: string; Properties?: any; Metadata?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, unknown>;
}

/** The reference apps and how to build them into an app (the same builders the examples' `app.ts` run). */
const APPS: Record<string, { readonly example: string; readonly build: (app: App) => unknown }> = {
  'reference': { example: 'reference', build: buildReferenceMigration },
  'on-premises': { example: 'on-premises', build: buildOnPremisesMigration },
  // the same migrations with request-level shifting: the accelerator's us-west-2 stack, the listener's legacy targets
  'reference-ga': { example: 'reference', build: (app) => buildReferenceMigration(app, undefined, 'global-accelerator') },
  'on-premises-lb': { example: 'on-premises', build: (app) => buildOnPremisesMigration(app, undefined, 'load-balancer') },
};

/** The construct path CDK records in the template (`aws:cdk:path`), or the logical id if there is none. */
export function constructPath(template: CfnTemplate, logicalId: string): string {
  const p = template.Resources[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : logicalId;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  ).sort();
}

/** A hash of every input of the synthesis. */
function inputsHash(): string {
  const h = createHash('sha256');
  const inputs = [
    ...filesUnder(path.join(ROOT, 'src')),
    ...filesUnder(path.join(ROOT, 'assets')),
    ...Object.values(APPS).flatMap((a) => [path.join(ROOT, 'examples', a.example, 'app.ts'), path.join(ROOT, 'examples', a.example, 'cdk.json')]),
    __filename,
    require.resolve('aws-cdk-lib/package.json'),
  ];
  for (const f of inputs) {
    h.update(path.relative(ROOT, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Synthesizes one reference app into `outdir` the way its cdk.json and the CLI flags of `npx projen example` do. */
function synthesizeApp(name: string, outdir: string): void {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', APPS[name].example, 'cdk.json'), 'utf-8'));
  const app = new App({
    outdir,
    // `cdk synth --no-version-reporting`; path metadata on (the CLI's default) to name the construct of a finding.
    analyticsReporting: false,
    context: { ...cdkJson.context, 'aws:cdk:enable-path-metadata': true },
  });
  APPS[name].build(app);
  app.synth();
}

/** Removes the synthesis directories of earlier inputs that are more than a day old (other worktrees may use newer ones). */
function removeStaleSyntheses(current: string): void {
  const parent = path.dirname(current);
  for (const e of fs.readdirSync(parent)) {
    const d = path.join(parent, e);
    if (!e.startsWith('payment-migration-compliance-') || d === current || e.endsWith('.lock')) continue;
    const age = Date.now() - (fs.statSync(d, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 24 * 3600_000) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Every `*.template.json` under `dir`, stage assemblies included. */
function templateFiles(dir: string): string[] {
  return filesUnder(dir).filter((f) => f.endsWith('.template.json'));
}

/** The region of the stack whose template is `file`, from the manifest next to it (`aws://<account>/<region>`). */
function regionOf(file: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(file), 'manifest.json'), 'utf-8'));
  const artifact = Object.values<any>(manifest.artifacts ?? {}).find((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile === path.basename(file));
  const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact?.environment ?? '')?.[1];
  if (!region) throw new Error(`${file}: no region in its manifest (${artifact?.environment})`);
  return region;
}

let cached: SynthesizedTemplate[] | undefined;

/**
 * The templates of both reference apps, synthesized once per jest run (see the file comment).
 * Sorted by name; asserts there is at least one per app.
 */
export function referenceTemplates(): SynthesizedTemplate[] {
  if (cached) return cached;
  // The handlers' bundles are assets of the templates: bundle them first (as the build does), then hash them.
  bundleHandler();
  bundlePeerRoutesHandler();
  const dir = path.join(os.tmpdir(), `payment-migration-compliance-${inputsHash()}`);
  const done = path.join(dir, '.complete');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(done)) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch {
      // Another worker synthesizes: wait for it (or for its lock to go stale after a crash).
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(250);
      continue;
    }
    try {
      if (!fs.existsSync(done)) {
        fs.rmSync(dir, { recursive: true, force: true });
        for (const name of Object.keys(APPS)) synthesizeApp(name, path.join(dir, name));
        fs.writeFileSync(done, new Date().toISOString());
        removeStaleSyntheses(dir);
      }
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }
  cached = Object.keys(APPS).flatMap((app) => {
    const appDir = path.join(dir, app);
    const files = templateFiles(appDir);
    if (files.length === 0) throw new Error(`no template synthesized for ${app} in ${appDir}`);
    return files.map((file) => ({
      app,
      stack: path.basename(file, '.template.json'),
      file,
      name: `${app}/${path.relative(appDir, file)}`,
      region: regionOf(file),
      template: JSON.parse(fs.readFileSync(file, 'utf-8')) as CfnTemplate,
    }));
  });
  return cached;
}
