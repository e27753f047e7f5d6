import { bundle, PEER_ROUTES_BUNDLE } from '../../projenrc/bundles';
import { ROOT } from '../weighted-cutover/bundle';

/** Bundles the peer-routes handler as the build does into `assets/peer-routes/index.js`. Returns the bundled file. */
export function bundlePeerRoutesHandler(): string {
  return bundle(PEER_ROUTES_BUNDLE, ROOT);
}
