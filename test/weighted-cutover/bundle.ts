import * as path from 'path';
import { bundle, WEIGHTED_RECORDS_BUNDLE } from '../../projenrc/bundles';

/** The repository root: the bundles' entries and outputs are relative to it. */
export const ROOT = path.join(__dirname, '..', '..');

/**
 * Bundles the weighted-records handler as the build does into `assets/weighted-records/index.js` (atomically, only
 * when it changed), so construct tests synthesize the real asset, never a placeholder. Returns the bundled file.
 */
export function bundleHandler(): string {
  return bundle(WEIGHTED_RECORDS_BUNDLE, ROOT);
}
