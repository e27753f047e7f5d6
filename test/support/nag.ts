import { AwsSolutionsChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The packs every construct of this library is held to. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new PCIDSS321Checks(), new NIST80053R5Checks()];
}

/**
 * Every unacknowledged finding of the three packs under `scope`, one line each:
 * `<rule id> <construct path>: <description>`. Sorted, so a failing test diff is readable.
 *
 * cdk-nag v3 reports through `validateScope` (Aspects and annotations are gone: a test reading
 * `Annotations.fromStack(...)` would always pass).
 */
export function nagFindings(scope: IConstruct): string[] {
  const lines: string[] = [];
  for (const pack of nagPacks()) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        lines.push(`${violation.ruleName} ${resource.constructPath}: ${violation.description}`);
      }
    }
  }
  return lines.sort();
}

/** Fails the test listing every unacknowledged finding. */
export function expectNoNagFindings(scope: IConstruct): void {
  expect(nagFindings(scope)).toEqual([]);
}

/**
 * A construct used on its own without `alarmActions`: every finding is NIST 800-53 r5 CloudWatchAlarmAction on one
 * of its alarms (nothing pages anyone: the library tells the user rather than acknowledging it; PaymentMigration
 * sends every alarm to its topic). Returns the paths of those alarms, for the test to name them.
 */
export function expectOnlyUnroutedAlarmFindings(scope: IConstruct): string[] {
  const findings = nagFindings(scope);
  const other = findings.filter((f) => !/^NIST\.800\.53\.R5-CloudWatchAlarmAction \S+\/Resource: /.test(f));
  expect(other).toEqual([]);
  return findings.map((f) => f.split(' ')[1].replace(/\/Resource:$/, ''));
}
