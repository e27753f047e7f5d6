import * as fs from 'fs';
import * as path from 'path';
import type { BuildOptions } from 'esbuild';
import { LAMBDA_BUNDLE_TARGET } from '../src/private/lambda-runtime';

/*
 * The esbuild bundles of the library, defined once: the projen tasks run them as `esbuild …` commands
 * (`esbuildCommand`), the tests build the same bundles through esbuild's API (`bundle`).
 */

/** One esbuild bundle: its entry, its output, and how it is built (CommonJS for Node.js, bundled). */
export interface BundleSpec {
  /** The TypeScript entry point, relative to the repository root. */
  readonly entry: string;
  /** The bundled file, relative to the repository root. */
  readonly outfile: string;
  /** The esbuild target (`node24`). */
  readonly target: string;
  /** Modules left out of the bundle (the Lambda runtime's SDK v3, development tools loaded at run time). */
  readonly external: string[];
  readonly minify?: boolean;
  readonly mainFields?: string[];
  /** A first line (`#!/usr/bin/env node`). */
  readonly banner?: string;
}

/** A Lambda handler: the runtime provides the AWS SDK v3, so it stays external. */
function handlerBundle(entry: string, assetDir: string): BundleSpec {
  return { entry, outfile: `assets/${assetDir}/index.js`, target: LAMBDA_BUNDLE_TARGET, external: ['@aws-sdk/*'] };
}

/** The weighted-records handler, deployed by `WeightedCutover` from `assets/weighted-records`. */
export const WEIGHTED_RECORDS_BUNDLE = handlerBundle('src/weighted-cutover/weighted-records-handler.ts', 'weighted-records');
/** The peer-routes handler, deployed by `RegionalNetwork` from `assets/peer-routes`. */
export const PEER_ROUTES_BUNDLE = handlerBundle('src/regional-network/peer-routes-handler.ts', 'peer-routes');
/** The Lambda handlers, bundled by the `bundle:handlers` task. */
export const HANDLER_BUNDLES = [WEIGHTED_RECORDS_BUNDLE, PEER_ROUTES_BUNDLE];

/** The operator console (`payment-migration`): one minified file with the SDK clients it calls (projenrc/console.ts). */
export const CONSOLE_BUNDLE: BundleSpec = {
  entry: 'src/console/cli.ts',
  outfile: 'assets/console/payment-migration.js',
  target: 'node20',
  external: ['aws-local-stepfunctions'],
  minify: true,
  mainFields: ['module', 'main'],
  banner: '#!/usr/bin/env node',
};

/** The `esbuild` command line of a bundle, for a projen task. */
export function esbuildCommand(b: BundleSpec): string {
  return [
    `esbuild ${b.entry} --bundle --platform=node --target=${b.target} --format=cjs`,
    ...(b.minify ? ['--minify --legal-comments=none'] : []),
    ...(b.mainFields ? [`--main-fields=${b.mainFields.join(',')}`] : []),
    ...b.external.map((e) => `--external:${e}`),
    '--log-level=warning',
    ...(b.banner ? [`--banner:js="${b.banner}"`] : []),
    `--outfile=${b.outfile}`,
  ].join(' ');
}

/** The same bundle as esbuild API options (the output kept in memory). */
export function esbuildOptions(b: BundleSpec, root: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [b.entry],
    bundle: true,
    platform: 'node',
    target: b.target,
    format: 'cjs',
    ...(b.minify ? { minify: true, legalComments: 'none' as const } : {}),
    ...(b.mainFields ? { mainFields: b.mainFields } : {}),
    external: b.external,
    ...(b.banner ? { banner: { js: b.banner } } : {}),
    write: false,
    logLevel: 'silent',
  };
}

/**
 * Builds a bundle as the build does, into `outfile` (default: the bundle's own, under `root`), writing only when it
 * changed, and atomically: two jest workers may bundle the same file at once, and a reader must never see half of it.
 * Returns the bundled file.
 */
export function bundle(b: BundleSpec, root: string, outfile = path.join(root, b.outfile)): string {
  // Loaded here: the projen tasks only need the command line, not esbuild itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const code = buildSync(esbuildOptions(b, root)).outputFiles![0].text;
  if (!fs.existsSync(outfile) || fs.readFileSync(outfile, 'utf8') !== code) {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    const tmp = `${outfile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, outfile);
  }
  return outfile;
}
