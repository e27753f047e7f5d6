#!/usr/bin/env bash
# Installs the freshly packed library into this consumer app and synthesizes it with the cdk-nag packs attached
# as synth-time plugins. Needs `npx projen package:js` (or the CI build) to have produced dist/js first.
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
../../node_modules/.bin/cdk synth --no-lookups --no-notices --no-version-reporting --quiet 2>&1 | tee "$out"
# aws-cdk-lib's own CloudFormation validation (cfn-lint rules) reports values that would fail at deploy time as
# warnings: treat every one as an error.
if grep -q "(CloudFormation Validate)" "$out"; then
  echo "consumer app: CloudFormation validation reported problems (above)" >&2
  exit 1
fi
for t in cdk.out/*.template.json; do
  echo "$(basename "$t"): $(node -e "console.log(Object.keys(require('./$t').Resources).length)") resources"
done
echo "consumer app: synthesized from the packed tarball with aws-cdk-lib $(node -p "require('aws-cdk-lib/package.json').version"); the three cdk-nag packs ran as synth-time plugins with no finding, and CloudFormation validation reported nothing"
