#!/usr/bin/env bash
# Installs the freshly packed library into this consumer app and synthesizes it with the cdk-nag packs and the AWS
# Control Tower rules attached as synth-time plugins, then checks cdk.out with cfn-lint, the Control Tower rules
# (counted again with the cfn-guard binary) and the deploy-time pre-flight (test/system/compliance/check.ts, the same lists
# as the jest suites). Needs `npx projen package:js` (or the CI build) to have produced dist/js first.
set -euo pipefail
cd "$(dirname "$0")"
# The installed copy of the library must not outlive the run: jsii-docgen resolves the package by name and would
# document this stale copy instead of the fresh .jsii (API.md silently missing new types).
trap 'rm -rf node_modules' EXIT
tarball=$(ls ../../dist/js/cdk-payment-migration*.tgz | head -1)
rm -rf node_modules cdk.out package-lock.json
# No lockfile on purpose: the tarball changes with every build (EINTEGRITY otherwise).
npm install --no-package-lock --no-audit --no-fund "$tarball" >/dev/null
out=$(mktemp)
# A failing synth-time plugin (cdk-nag, Control Tower) fails the synth; the checks over cdk.out below still run, so
# one CI run lists every finding.
synth_rc=0
../../node_modules/.bin/cdk synth --no-lookups --no-notices --no-version-reporting --quiet 2>&1 | tee "$out" || synth_rc=$?
# aws-cdk-lib's own CloudFormation validation (cfn-lint rules) reports values that would fail at deploy time as
# warnings: treat every one as an error.
if grep -q "(CloudFormation Validate)" "$out"; then
  echo "consumer app: CloudFormation validation reported problems (above)" >&2
  exit 1
fi
# cfn-lint (no error, no warning outside test/system/compliance/cfn-lint-allowlist.json), Control Tower (no violation outside
# test/system/compliance/control-tower-by-design.json, counted per resource) and the pre-flight, over every template.
check_rc=0
../../node_modules/.bin/ts-node --transpile-only --prefer-ts-exts --project ../../tsconfig.dev.json ../../test/system/compliance/check.ts cdk.out || check_rc=$?
if [ "$synth_rc" -ne 0 ] || [ "$check_rc" -ne 0 ]; then
  echo "consumer app: synth exited $synth_rc (a synth-time plugin reported findings, above), the checks over cdk.out exited $check_rc" >&2
  exit 1
fi
for t in cdk.out/*.template.json; do
  echo "$(basename "$t"): $(node -e "console.log(Object.keys(require('./$t').Resources).length)") resources"
done
echo "consumer app: synthesized from the packed tarball with aws-cdk-lib $(node -p "require('aws-cdk-lib/package.json').version"); the three cdk-nag packs and the Control Tower rules ran as synth-time plugins with no finding outside the by-design list, CloudFormation validation reported nothing, and cfn-lint, Control Tower and the pre-flight passed over cdk.out"
