/**
 * AWS Control Tower proactive controls over every template of both reference migrations: the cfn-guard binary and
 * all Control Tower rule files bundled in @cdklabs/cdk-validator-cfnguard. Violations are counted per (control,
 * template, resource) — cfn-guard's conclusion is never read — and only the documented by-design list
 * (control-tower-by-design.json, one entry per reason) may fail. The consumer app runs the same rules as a
 * synth-time plugin and the same count in examples/consumer/run.sh.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { controlsByRule, controlTowerFindings, controlTowerRulesDir } from './cfn-guard';
import { CONTROL_TOWER_BY_DESIGN, countsByRule, describe as line, Finding, partition, readList } from './findings';
import { referenceTemplates } from './templates';

describe('Control Tower proactive controls over the reference migrations', () => {
  let findings: Finding[];
  const byDesign = readList(CONTROL_TOWER_BY_DESIGN);

  beforeAll(() => {
    const templates = referenceTemplates();
    findings = controlTowerFindings(templates.map((t) => t.file), templates.map((t) => t.name));
    const { unlisted } = partition(findings, byDesign);
    console.log(
      `Control Tower over ${templates.length} templates: ${findings.length} violations (${countsByRule(findings)}); ` +
      `${findings.length - unlisted.length} by design, ${unlisted.length} to fix (${countsByRule(unlisted)})`,
    );
  }, 180_000);

  test('every bundled Control Tower rule runs (237 rule files, each named after its control)', () => {
    const controls = controlsByRule(controlTowerRulesDir());
    expect(controls.size).toBe(237);
    expect([...controls.values()].every((c) => /^CT\.[A-Z0-9-]+\.PR\.\d+$/.test(c))).toBe(true);
  });

  test('no violation outside the by-design list', () => {
    expect(partition(findings, byDesign).unlisted.map(line)).toEqual([]);
  });

  test('every by-design entry still matches a violation (no stale entry), and no CloudWatch alarm is without an action by design', () => {
    const { used } = partition(findings, byDesign);
    expect(byDesign.filter((_, i) => used[i] === 0).map((e) => `${e.rule} ${e.resource}`)).toEqual([]);
    expect(byDesign.map((e) => e.rule)).not.toContain('CT.CLOUDWATCH.PR.1');
  });

  test('violations are counted per resource even where cfn-guard reports one rule result for several', () => {
    // GIVEN two alarms without actions and one with an action, in one template
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-count-'));
    const alarm = (actions?: string[]) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, Threshold: 1, MetricName: 'M', Namespace: 'N', Period: 60, Statistic: 'Maximum', ...(actions ? { AlarmActions: actions } : {}) },
    });
    const file = path.join(dir, 'alarms.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { A: alarm(), B: alarm(), C: alarm(['arn:aws:sns:us-east-1:111111111111:t']) } }));
    try {
      // WHEN
      const found = controlTowerFindings([file], ['alarms']).filter((f) => f.rule === 'CT.CLOUDWATCH.PR.1');
      // THEN
      expect(found.map((f) => f.logicalId).sort()).toEqual(['A', 'B']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
