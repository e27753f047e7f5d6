import { awscdk, javascript } from 'projen';
import { esbuildCommand, HANDLER_BUNDLES } from './projenrc/bundles';
import { addConsole } from './projenrc/console';

/**
 * One place for the aws-cdk-lib version. The dev pin is the newest version whose cloud-assembly schema
 * (<= 53) `@aws-cdk/integ-runner` can read; the peer range accepts anything newer. cdk-nag 3 needs >= 2.257.0.
 */
const CDK_VERSION = '2.257.0';
const CDK_NAG_VERSION = '^3.0.2';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-payment-migration',
  description:
    'AWS CDK constructs to move a payment-processing stack to another region or from a datacenter into AWS, ' +
    'with an alarm-gated, automatically rolled-back cutover. Secure by default and clean under cdk-nag.',
  keywords: ['aws-cdk', 'cdk', 'migration', 'payments', 'aurora-global-database', 'route53', 'cutover', 'pci-dss'],
  author: 'payment-migration-kit maintainers',
  authorAddress: 'maintainers@payment-migration-kit.dev',
  repositoryUrl: 'https://github.com/payment-migration-kit/cdk-payment-migration.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  tsconfigDevFile: 'tsconfig.dev.json',
  typecheckTests: true,

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',

  devDeps: [
    `cdk-nag@${CDK_NAG_VERSION}`,
    // The CDK CLI for the example apps. Pinned: the registry's `latest` (3.x) cannot read current cloud assemblies.
    'aws-cdk@2.1148.1',
    // Runs the real synthesized state machine locally in the rehearsal tests (Node 20 needs a polyfill, see test/).
    'aws-local-stepfunctions@3.0.0',
    'asl-validator@4.0.0',
    // Lambda handlers: typed events, the SDK clients the runtime provides (not bundled), and the bundler.
    '@types/aws-lambda',
    '@aws-sdk/client-route-53',
    'esbuild',
    // AWS Control Tower proactive controls (237 cfn-guard rule files and the cfn-guard binary, both bundled; runs
    // offline): test/system/compliance runs the binary over every reference template, the consumer app uses it as a plugin.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // The import-cycle check of the test task (`check:cycles`): finds cycles in src/, type-only imports included.
    'madge@8.0.0',
    // test/system/moto: the peer-routes handler loads client-ec2 at run time (the Lambda runtime provides it), and
    // aws-cdk-lib's AwsCustomResource provider loads client-ssm for the writer parameter; the moto tests run both
    // handlers for real against moto server, so the SDK clients must be installed.
    '@aws-sdk/client-ec2',
    '@aws-sdk/client-ssm',
    // test/system/moto: the checkpoint PutObject of the synthesized cutover against a WORM (Object Lock) bucket in moto.
    '@aws-sdk/client-s3',
    // Deployment tests for a real account (test/system/integ): integ-runner (2.197.x reads cloud-assembly schema <= 53, i.e.
    // the aws-cdk-lib dev pin) and the assertion constructs; offline, the test task verifies their snapshots.
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
  ],

  // Cross-language targets. The registries are unreachable here, so the build packages js only (CI=true);
  // the `codegen:check` task proves the API generates for all four languages.
  publishToPypi: { distName: 'cdk-payment-migration', module: 'cdk_payment_migration' },
  publishToMaven: {
    javaPackage: 'dev.paymentmigrationkit.cdk',
    mavenGroupId: 'dev.payment-migration-kit',
    mavenArtifactId: 'cdk-payment-migration',
  },
  publishToNuget: { dotNetNamespace: 'PaymentMigrationKit.Cdk', packageId: 'PaymentMigrationKit.Cdk' },
  publishToGo: { moduleName: 'github.com/payment-migration-kit/cdk-payment-migration-go' },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // two workers on the two cores of CI (jest's default is cores - 1): each moto/console suite has its own server.
    // No coverage in the test task: nothing reads it, and collecting it made jest about 35 % slower (measured on the
    // rehearsal and alerts suites); `npx projen test:coverage` collects it on demand.
    // globalSetup warns when src/ changed since the last compile (the props' type checks are read from .jsii)
    jestConfig: { testMatch: ['<rootDir>/test/**/*.test.ts'], maxWorkers: 2, collectCoverage: false, globalSetup: '<rootDir>/test/support/global-setup.ts' },
  },
  eslint: true,
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  prettier: false,
  github: false,
  release: false,
  sampleCode: false,
  gitignore: ['/dist-codegen/', '*.tsbuildinfo', 'cdk.out/'],
});

// The npm mirror lacks some optional platform packages of unrs-resolver (pulled in by eslint-import-resolver).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Rosetta: every README and TSDoc example must compile (fixtures in rosetta/), or the build fails; the examples under
// docs/ are compiled by test/readme/docs-examples.test.ts with the same fixture.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every example in README.md and the TSDoc with jsii-rosetta',
  exec: 'jsii-rosetta extract --strict --fail --compile',
});
project.postCompileTask.spawn(rosetta);
project.gitignore.exclude('.jsii.tabl.json');
project.npmignore?.exclude('/rosetta/');

// Cross-language code generation, offline: all four targets generate, and the Python output byte-compiles.
const codegen = project.addTask('codegen:check', {
  description: 'Generate Python/Java/Go/.NET bindings (code only, no registries) and byte-compile the Python',
  steps: [
    { exec: 'rm -rf dist-codegen' },
    { exec: 'jsii-pacmak --code-only --targets python,java,go,dotnet --outdir dist-codegen' },
    { exec: 'python3 -m compileall -q dist-codegen/python' },
  ],
});
project.testTask.spawn(codegen);

// Deployment tests (test/system/integ/integ.*.ts): their snapshots are verified offline by the test task (a synth that
// differs from the committed snapshot fails; nothing is deployed; the stacks of Stages, which integ-runner skips, are
// compared by test/system/integ/staged-snapshots.test.ts). `integ:update` rewrites them, still offline.
const integ = project.addTask('integ', {
  description: 'Verify the deployment tests\' snapshots offline (no AWS account)',
  exec: 'integ-runner --language typescript --directory test/system/integ',
});
project.addTask('integ:update', {
  description: 'Rewrite the deployment tests\' snapshots offline (dry run: nothing is deployed)',
  exec: 'integ-runner --language typescript --directory test/system/integ --update-on-failed --dry-run --force',
});
project.testTask.spawn(integ);

// Two test tasks, two needs. `test` (what `npx projen build`, the README's test command and CI run) runs both in ONE
// jest invocation, so jest's first `Tests:` line (what .ci/run counts) is the whole suite.
//  - test:unit: every test outside test/system — node and the npm packages only (no cfn-lint, moto, AWS CLI, tmux,
//    no cross-language codegen): what a developer runs after every edit;
//  - test:system: test/system (moto, the console in tmux against moto, cfn-lint and Control Tower, the packed tarball
//    and Python examples), then the integ snapshots and the four-language codegen (the external tools CI installs).
const typecheckTests = { name: 'Type-check the test suite', exec: 'tsc --noEmit -p tsconfig.dev.json' };
project.addTask('test:unit', {
  description: 'Type-check, then jest over everything but test/system (no cfn-lint, moto, AWS CLI, tmux or codegen)',
  steps: [typecheckTests, { exec: 'jest --ci --testPathIgnorePatterns /node_modules/ /test/system/', receiveArgs: true }],
});
project.addTask('test:coverage', {
  description: 'jest over everything with coverage (v8), reported in coverage/ and as text',
  exec: 'jest --ci --coverage',
  receiveArgs: true,
});
project.addTask('test:system', {
  description: 'jest over test/system (moto, tmux, cfn-lint, Control Tower, packaging), the integ snapshots and the four-language codegen',
  steps: [{ exec: 'jest --ci /test/system/', receiveArgs: true }, { spawn: integ.name }, { spawn: codegen.name }],
});

// What fails by design (docs/compliance.md) is generated from the lists the compliance tests read; a test fails on drift.
project.addTask('docs:compliance', {
  description: 'Rewrite the by-design section of docs/compliance.md from test/system/compliance/*.json',
  exec: 'ts-node --prefer-ts-exts test/system/compliance/by-design.ts',
});

// No import cycles in src/, type-only imports included (madge counts them by default).
const cycles = project.addTask('check:cycles', {
  description: 'Fail on any import cycle in src/',
  exec: 'madge --circular --extensions ts --no-spinner src',
});
project.testTask.spawn(cycles);

// The npm package holds only what a TypeScript/JavaScript user runs: the compiled constructs (lib/), the bundled
// handlers (assets/), the jsii assembly, README, API.md and LICENSE. Everything else at the top is left out — the
// generated Python/Java/Go/.NET sources of codegen:check (dist-codegen/, ~4 MB), CI scripts, reports — and so are
// build leftovers anywhere. test/system/package/tarball.test.ts holds the package to this set and to 1.5 MB.
project.npmignore?.exclude('/*');
project.npmignore?.include('/lib/', '/assets/', '/.jsii', '/API.md', '/README.md', '/LICENSE', '/package.json');
project.npmignore?.exclude('*.tsbuildinfo', '.jsii.tabl.json', '*.test.js', '*.test.d.ts');
// Source maps map stack traces to the TypeScript lines; the TypeScript itself is not shipped inside them (it doubled
// lib/'s size; src/ is in the repository).
project.tsconfig?.file.addOverride('compilerOptions.inlineSources', false);
// The concurrent simulation and the client population are the repository's test and bench machinery (npx projen
// simulate / bench), not something a user of the package runs: kept out of the tarball.
project.npmignore?.exclude(
  '/lib/rehearsal/simulation.*', '/lib/rehearsal/simulation-campaign.*', '/lib/rehearsal/simulation-invariants.*',
  '/lib/rehearsal/simulation-account.*', '/lib/rehearsal/client-population.*',
);


// Lambda handlers are bundled with esbuild into assets/ (shipped in the npm package, not committed), as defined in
// projenrc/bundles.ts (which the tests' bundlers read too). One runtime for both, one target: src/private/lambda-runtime.ts.
const bundleHandlers = project.addTask('bundle:handlers', {
  description: 'Bundle the Lambda handlers into assets/',
  steps: HANDLER_BUNDLES.map((b) => ({ exec: esbuildCommand(b) })),
});
project.preCompileTask.spawn(bundleHandlers);
project.gitignore.exclude('/assets/');
project.npmignore?.include('/assets/');
project.eslint?.allowDevDeps('src/weighted-cutover/weighted-records-handler.ts');
// The rehearsal is a development-time tool: it loads aws-local-stepfunctions only when it runs.
project.eslint?.allowDevDeps('src/rehearsal/**');

// The rehearsal CLI: runs a synthesized MigrationOrchestrator locally (needs aws-local-stepfunctions installed).
project.addBins({ 'payment-migration-rehearse': 'lib/rehearsal/cli.js' });

// Every `bin` is packed executable (each file starts with `#!/usr/bin/env node`). npm restores the run bit on install,
// but jsii's Python, Java, .NET and Go packages run the file from the tarball itself: 0644 there is exit 126. After
// compile (jsii writes lib/, pre-compile's esbuild the console bundle), before jest and packaging; the bins are read
// from package.json, so a new one is covered. test/system/package/tarball.test.ts reads the modes in a real pack.
const binsExecutable = project.addTask('bins:executable', {
  description: 'Make every bin entry of package.json executable (0755) before it is packed',
  exec: 'node -e "for (const f of Object.values(require(\'./package.json\').bin)) require(\'fs\').chmodSync(f, 0o755)"',
});
project.postCompileTask.spawn(binsExecutable);

// The example apps are type-checked and linted like the tests.
project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('.projenrc.ts');
// The consumer app is its own npm project (it installs the packed library): not part of this one's compilation.
project.tsconfigDev.addExclude('examples/consumer');
project.eslint?.addIgnorePattern('examples/consumer/');
project.gitignore.exclude('/examples/consumer/node_modules/', '/examples/consumer/cdk.out/');
project.npmignore?.exclude('/examples/');
project.addTask('consumer', {
  description: 'Install the packed library into examples/consumer and synthesize it with the cdk-nag packs as synth-time plugins',
  exec: 'bash examples/consumer/run.sh',
});
project.eslint?.addLintPattern('examples');

// The main job: synthesize both reference migrations with the pinned CDK CLI, report resources, outputs and nag
// findings, then rehearse their cutovers offline on the synthesized templates.
//  - reference (seed S1): us-east-1 → eu-west-1 with Aurora Global Database: happy path and alarm rollbacks;
//  - on-premises (seed S2): datacenter → us-east-1 with DMS and the single-writer move, two stages.
project.addTask('example', {
  description: 'Synthesize the reference migrations offline (no AWS account), check them with cdk-nag, rehearse their cutovers',
  steps: [
    { spawn: 'bundle:handlers' },
    { exec: 'rm -rf cdk.out/reference cdk.out/on-premises' },
    // examples/*/cdk.json hold the app command and the AZ context, so no lookup is needed.
    { exec: 'cdk synth --no-lookups --no-notices --no-version-reporting --quiet', cwd: 'examples/reference' },
    { exec: 'ts-node --prefer-ts-exts examples/report.ts reference cdk.out/reference' },
    { exec: 'ts-node --prefer-ts-exts src/rehearsal/cli.ts cdk.out/reference/PaymentTarget.template.json happy-path alarm-poll alarm-event' },
    { exec: 'cdk synth --no-lookups --no-notices --no-version-reporting --quiet', cwd: 'examples/on-premises' },
    { exec: 'ts-node --prefer-ts-exts examples/report.ts on-premises cdk.out/on-premises' },
    {
      exec: 'ts-node --prefer-ts-exts src/rehearsal/cli.ts cdk.out/on-premises/assembly-aws-production/awsproductionPayments*.template.json ' +
        'dms-happy-path dms-cdc-lag dms-validation-failure dms-alarm-mid-shift dms-failure-after-writer-moved dms-stopped-by-hand',
    },
    // The same migration with load-balancer shifting: the fleet's load balancer fronts the legacy servers too.
    { exec: 'rm -rf cdk.out/on-premises-lb' },
    { exec: 'cdk synth --no-lookups --no-notices --no-version-reporting --quiet -c shifting=load-balancer --output ../../cdk.out/on-premises-lb', cwd: 'examples/on-premises' },
    { exec: 'ts-node --prefer-ts-exts examples/report.ts on-premises-lb cdk.out/on-premises-lb' },
    {
      exec: 'ts-node --prefer-ts-exts src/rehearsal/cli.ts cdk.out/on-premises-lb/assembly-aws-production/awsproductionPayments*.template.json ' +
        'dms-happy-path dms-alarm-mid-shift lb-not-in-effect lb-throttled-rollback',
    },
  ],
});

// Speed and size figures live in a benchmark that prints them (not in timed tests).
project.addTask('bench', {
  description: 'Print the cutover benchmark: rollback latencies, bake overhead, state transitions, synth time and size',
  steps: [
    { spawn: 'bundle:handlers' },
    { exec: 'ts-node --prefer-ts-exts bench/cutover.ts' },
    // Per traffic shifter: time to safety with a 10-second gate, the split a client population sees, the old side after 100 %.
    { exec: 'ts-node --prefer-ts-exts bench/shifting.ts' },
    // 10,000 seeds per path of the concurrent simulation: seeds per second, violations, the actor and fault mix.
    { exec: 'ts-node --prefer-ts-exts bench/simulation.ts --seeds 10000' },
  ],
});
// Longer campaigns: npx projen simulate -- --seeds 100000 [--from 1] [--path aurora|dms|dms-lb|both]
project.addTask('simulate', {
  description: 'Run a campaign of the concurrent cutover simulation (seeds, faults, operators); prints violations with their seeds',
  steps: [{ spawn: 'bundle:handlers' }, { exec: 'ts-node --prefer-ts-exts bench/simulation.ts', receiveArgs: true }],
});
project.tsconfigDev.addInclude('bench/**/*.ts');
project.eslint?.addLintPattern('bench');
project.npmignore?.exclude('/bench/');

// The operator's console, `payment-migration` (issue 15): why one esbuild bundle is explained in projenrc/console.ts.
addConsole(project);

project.synth();
