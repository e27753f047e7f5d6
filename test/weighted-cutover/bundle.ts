import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

/** The handler source and the asset directory `WeightedCutover` deploys (`assets/weighted-records`). */
export const HANDLER_ENTRY = path.join(__dirname, '..', '..', 'src', 'weighted-cutover', 'weighted-records-handler.ts');
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'weighted-records');

/**
 * Bundles the handler the way the build does (esbuild, CommonJS for Node.js 22, the runtime's SDK v3 left external)
 * into the asset directory the construct deploys, so construct tests synthesize the real asset, never a placeholder.
 * Writes only when the bundle changed. Returns the bundled file.
 */
export function bundleHandler(): string {
  const result = buildSync({
    entryPoints: [HANDLER_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const file = path.join(HANDLER_ASSET_DIR, 'index.js');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== code) {
    fs.mkdirSync(HANDLER_ASSET_DIR, { recursive: true });
    fs.writeFileSync(file, code);
  }
  return file;
}
