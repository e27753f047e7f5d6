import * as path from 'path';
import { bundle } from '../weighted-cutover/bundle';

/** The peer-routes handler source and the asset directory `RegionalNetwork` deploys (`assets/peer-routes`). */
export const PEER_ROUTES_ENTRY = path.join(__dirname, '..', '..', 'src', 'regional-network', 'peer-routes-handler.ts');
export const PEER_ROUTES_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'peer-routes');

/** Bundles the peer-routes handler (for LAMBDA_RUNTIME) into `assets/peer-routes/index.js`, as the build does. */
export function bundlePeerRoutesHandler(): string {
  return bundle({ entry: PEER_ROUTES_ENTRY, assetDir: PEER_ROUTES_ASSET_DIR });
}
