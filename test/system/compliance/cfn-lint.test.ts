/**
 * cfn-lint over every template of both reference migrations: no error, and no warning outside the documented
 * allow-list (cfn-lint-allowlist.json, each entry with its reason). The consumer app's templates get the same check
 * in examples/consumer/run.sh.
 */
import { runCfnLint } from './cfn-lint';
import { CFN_LINT_ALLOWLIST, countsByRule, describe as line, Finding, partition, readList } from './findings';
import { referenceTemplates } from './templates';

describe('cfn-lint over the reference migrations', () => {
  let result: ReturnType<typeof runCfnLint>;
  const allowlist = readList(CFN_LINT_ALLOWLIST);

  beforeAll(() => {
    const templates = referenceTemplates();
    result = runCfnLint(templates.map((t) => t.file), templates.map((t) => t.name));
    const { unlisted } = partition(result.warnings, allowlist);
    console.log(
      `cfn-lint over ${templates.length} templates: ${result.errors.length} errors, ${result.warnings.length} warnings ` +
      `(${countsByRule(result.warnings)}), ${unlisted.length} outside the allow-list (${countsByRule(unlisted)})`,
    );
  }, 180_000);

  test('no error', () => {
    expect(result.errors.map(line)).toEqual([]);
  });

  test('no warning outside the allow-list', () => {
    expect(partition(result.warnings, allowlist).unlisted.map(line)).toEqual([]);
  });

  test('every allow-list entry still matches a warning (no stale entry)', () => {
    const { used } = partition(result.warnings, allowlist);
    expect(allowlist.filter((_, i) => used[i] === 0).map((e) => `${e.rule} ${e.resource}: ${e.reason}`)).toEqual([]);
  });

  test('the allow-list has a reason for each entry and never lists W2001 (an unused SSM-typed parameter still blocks a first deploy)', () => {
    expect(allowlist.every((e) => e.reason.length > 40)).toBe(true);
    expect(allowlist.map((e) => e.rule)).not.toContain('W2001');
  });

  test('an entry covers only its rule, resource type, construct path and location', () => {
    const w3010: Finding = {
      rule: 'W3010',
      template: 't',
      logicalId: 'S',
      type: 'AWS::EC2::Subnet',
      constructPath: 'Stack/Migration/Network/Vpc/PublicSubnet1/Subnet',
      location: 'Resources/S/Properties/AvailabilityZone',
      message: "Avoid hardcoding availability zones 'eu-west-1a'",
    };
    expect(partition([w3010], allowlist).unlisted).toEqual([]);
    const elsewhere = [
      { ...w3010, rule: 'W3011' },
      { ...w3010, type: 'AWS::EC2::Instance' },
      { ...w3010, constructPath: 'Stack/SomethingElse/Subnet' },
      { ...w3010, location: 'Resources/S/Properties/CidrBlock' },
    ];
    expect(partition(elsewhere, allowlist).unlisted).toHaveLength(4);
  });
});
