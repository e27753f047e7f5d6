import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLE_TARGET } from '../../src/private/lambda-runtime';

/** The handler source and the asset directory `WeightedCutover` deploys (`assets/weighted-records`). */
export const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'src', 'weighted-cutover', 'weighted-records-handler.ts');
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'weighted-records');

/** One Lambda handler to bundle: its source and the asset directory its construct deploys. */
export interface HandlerBundle {
  /** The handler's TypeScript source. */
  readonly entry: string;
  /** The directory `lambda.Code.fromAsset` reads; the bundle is written to `index.js` there. */
  readonly assetDir: string;
}

/**
 * Bundles a handler the way the build does (esbuild, CommonJS, the runtime's SDK v3 left external) into the asset
 * directory its construct deploys, so construct tests synthesize the real asset, never a placeholder.
 * Writes only when the bundle changed. Returns the bundled file.
 */
export function bundle(handler: HandlerBundle): string {
  const result = buildSync({
    entryPoints: [handler.entry],
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE_TARGET, // the one runtime of the library's functions, as the build bundles them
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const file = path.join(handler.assetDir, 'index.js');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== code) {
    fs.mkdirSync(handler.assetDir, { recursive: true });
    // atomic: two jest workers may bundle the same handler at once, and a reader must never see half a file
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  return file;
}

/** Bundles the weighted-records handler (for LAMBDA_RUNTIME) into `assets/weighted-records/index.js`. */
export function bundleHandler(): string {
  return bundle({ entry: HANDLER_ENTRY, assetDir: HANDLER_ASSET_DIR });
}
