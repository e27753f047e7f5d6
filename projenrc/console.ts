import { awscdk } from 'projen';
import { CONSOLE_BUNDLE as CONSOLE_BUNDLE_SPEC, esbuildCommand } from './bundles';

/**
 * The SDK clients the console uses, one per AWS API it calls — and nothing else. Same version as the Lambda
 * handlers' Route 53 client, so the lockfile holds one copy of the shared Smithy core.
 */
const CONSOLE_SDK_CLIENTS = [
  '@aws-sdk/client-cloudformation', // the stack's ConsoleManifest and runbook outputs
  '@aws-sdk/client-sfn', // executions, history (task tokens), start, send-task-success/failure
  '@aws-sdk/client-ssm', // the control and writer parameters
  '@aws-sdk/client-cloudwatch', // gate alarms, each side's RequestCount (the observed split)
  '@aws-sdk/client-rds', // the global cluster's writer region
  '@aws-sdk/client-route-53', // the weights the records carry (the intended split, as Route 53 has it)
  '@aws-sdk/client-dynamodb', // the cutover record (phase, holder): status, start, recover
];

/** Where the one bundled file lands: assets/ ships in the package (as the Lambda handlers do), and is not committed. */
export const CONSOLE_BUNDLE = CONSOLE_BUNDLE_SPEC.outfile;

/**
 * The operator's console, `payment-migration` (issue 15).
 *
 * Why one esbuild bundle: jsii packages may not carry non-jsii runtime dependencies unless they are bundled, and
 * `bundledDependencies` of the whole AWS SDK v3 (each client drags the full Smithy runtime, ~15 MB unpacked) would
 * dwarf the library. esbuild instead tree-shakes the seven clients the console calls, minified, into one CommonJS file
 * for Node 20 that the `bin` entry points at: users get a working CLI from `npm i cdk-payment-migration` with no
 * extra install, the library's own dependency list stays empty of the SDK, and the SDK clients and esbuild stay
 * devDependencies. `aws-local-stepfunctions` (for `rehearse`) stays external: it is a development tool, loaded at run
 * time with a clear message when missing. The unbundled `lib/console/` that jsii compiles is not shipped.
 */
export function addConsole(project: awscdk.AwsCdkConstructLibrary): void {
  project.addDevDeps(...CONSOLE_SDK_CLIENTS);
  project.addBins({ 'payment-migration': CONSOLE_BUNDLE });

  const bundle = project.addTask('bundle:console', {
    description: 'Bundle the operator console (payment-migration CLI) into one minified file with the SDK clients it uses',
    exec: esbuildCommand(CONSOLE_BUNDLE_SPEC),
  });
  project.preCompileTask.spawn(bundle);
  project.npmignore?.exclude('/lib/console/');
  // Neither the rendered reports (cdk.out/reports/, like every synthesized example in cdk.out/) nor the README's
  // pictures (docs/images/, shown from the repository) belong in the package.
  project.npmignore?.exclude('/cdk.out/', '/docs/');
  project.eslint?.allowDevDeps('src/console/**');

  // The rehearsal reports of the two reference migrations as pictures for the README, rendered by the console itself
  // and screenshotted with headless Chromium (Debian: `apt-get install -y chromium`). Needs `npx projen example`
  // first: it synthesizes both templates into cdk.out/.
  const cli = `node ${CONSOLE_BUNDLE}`;
  const s1 = 'cdk.out/reference/PaymentTarget.template.json';
  const s2 = 'cdk.out/on-premises/assembly-aws-production/awsproductionPayments*.template.json';
  // projen runs steps in a portable shell (no `command -v`, no `{ …; }`): checks are node one-liners.
  const shot = (name: string) =>
    `chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1480 --screenshot=docs/images/${name}.png ` +
    `file://$PWD/cdk.out/reports/${name}.html`;
  const chromiumCheck = 'node -e "require(\'child_process\').execSync(\'chromium --version\', { stdio: \'ignore\' })" || ' +
    'node -e "console.error(\'headless Chromium is missing: apt-get update && apt-get install -y chromium\'); process.exit(1)"';
  project.addTask('console:images', {
    description: 'Rehearse S1 and S2 into HTML reports (payment-migration rehearse --report) and screenshot them with headless Chromium into docs/images/',
    steps: [
      { spawn: 'bundle:console' },
      { exec: `node -e "fs.existsSync('${s1}') || (console.error('no synthesized templates in cdk.out/: run npx projen example first'), process.exit(1))"` },
      { exec: chromiumCheck },
      { exec: 'mkdir -p cdk.out/reports docs/images' },
      { exec: `${cli} rehearse ${s1} happy-path alarm-event --report cdk.out/reports/rehearsal-s1.html --title "S1: us-east-1 → eu-west-1 (Aurora Global Database)" > /dev/null` },
      { exec: `${cli} rehearse ${s2} dms-happy-path dms-failure-after-writer-moved --report cdk.out/reports/rehearsal-s2.html --title "S2: datacenter → us-east-1 (DMS, one writer)" > /dev/null` },
      { exec: shot('rehearsal-s1') },
      { exec: shot('rehearsal-s2') },
    ],
  });
}
