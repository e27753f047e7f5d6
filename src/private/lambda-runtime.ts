import { Runtime } from 'aws-cdk-lib/aws-lambda';

/**
 * The one Lambda runtime of the library's own functions (the weighted-records and the peer-routes handlers), and
 * what their bundles are built for: .projenrc.ts and the test bundler read `LAMBDA_BUNDLE_TARGET` from here.
 *
 * Node.js 24: an LTS line and the newest Node.js runtime aws-cdk-lib knows at the pinned version, so AwsSolutions-L1
 * holds without an acknowledgement; the Control Tower Lambda controls (CT.LAMBDA.PR.2 to PR.6) do not restrict
 * runtimes.
 */
export const LAMBDA_NODE_MAJOR = 24;

/** The runtime the functions run on. */
export const LAMBDA_RUNTIME: Runtime = Runtime.NODEJS_24_X;

/** The esbuild target of the bundles. */
export const LAMBDA_BUNDLE_TARGET = `node${LAMBDA_NODE_MAJOR}`;

if (LAMBDA_RUNTIME.name !== `nodejs${LAMBDA_NODE_MAJOR}.x`) {
  throw new Error(`LAMBDA_RUNTIME (${LAMBDA_RUNTIME.name}) and LAMBDA_NODE_MAJOR (${LAMBDA_NODE_MAJOR}) disagree`);
}

