import { Template } from 'aws-cdk-lib/assertions';
import { referenceTemplate, resolver, SOURCE_ALB_FULL_NAME, TARGET_ALB_DNS, TARGET_ALB_FULL_NAME } from './reference-stack';
import { manifestOf } from '../../src/console/manifest';
import { ConsoleManifest, CONSOLE_MANIFEST_OUTPUT, CONSOLE_MANIFEST_VERSION } from '../../src/private/console-manifest';
import { onPremises } from '../payment-migration/fixtures';
// GIVEN the reference target stack with addConsoleOutputs, as CloudFormation would resolve its outputs
const template = referenceTemplate();
const resolve = resolver(template, { zoneId: 'Z0123456789ABCDEFGHIJ' });
const outputs: Record<string, { Value: string; Description?: string }> = resolve(template.Outputs);
const manifestKey = Object.keys(outputs).find((k) => k.startsWith('MigrationConsoleManifest'))!;

describe('addConsoleOutputs', () => {
  test('one ConsoleManifest output, a JSON document of deploy-time values', () => {
    expect(template.Outputs[manifestKey].Value['Fn::Join']).toBeDefined();
    const m = JSON.parse(outputs[manifestKey].Value);
    const machines = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(m).toEqual({
      v: 1,
      kind: 'aurora-global',
      sm: expect.stringMatching(/^arn:aws:states:eu-west-1:111111111111:stateMachine:.*-cutover$/),
      rb: expect.stringMatching(/^arn:aws:states:eu-west-1:111111111111:stateMachine:/),
      rc: expect.stringMatching(/^arn:aws:states:eu-west-1:111111111111:stateMachine:/),
      ctl: expect.stringMatching(/Control/),
      tbl: expect.stringMatching(/^PaymentTarget-MigrationOrchestratorRecord[0-9A-F]{8}$/),
      topic: expect.stringMatching(/^arn:aws:sns:eu-west-1:/),
      dash: expect.stringMatching(/Dashboard/),
      zone: 'Z0123456789ABCDEFGHIJ',
      rec: ['api.pay.example.com', 'checkout.pay.example.com'],
      alarms: [expect.stringMatching(/ReplicationLag/), expect.stringMatching(/HealthyHosts/), expect.stringMatching(/ErrorRate/)],
      tgt: { r: 'eu-west-1', lb: TARGET_ALB_FULL_NAME, dns: TARGET_ALB_DNS },
      src: { r: 'us-east-1', lb: SOURCE_ALB_FULL_NAME },
      gc: 'payments-global',
      db: expect.stringMatching(/^arn:aws:rds:eu-west-1:111111111111:cluster:/),
      sh: { k: 'dns' },
    });
    // the three state machines of the orchestrator the console acts on, each named once (the fourth, the Bake state
    // machine, only runs the cutover's bakes as its child executions)
    expect(machines.filter(([, r]) => !/-bake$/.test(r.Properties.StateMachineName ?? ''))).toHaveLength(3);
    expect(machines).toHaveLength(4);
    expect(new Set([m.sm, m.rb, m.rc]).size).toBe(3);
  });

  test('far below CloudFormation\'s output value limit (4,096 characters), with room for longer names', () => {
    const length = outputs[manifestKey].Value.length;
    process.stdout.write(`ConsoleManifest of the reference stack: ${length} characters\n`);
    expect(length).toBeLessThan(2048);
  });

  test('round trip: what the library synthesizes is what the console parses (one typed manifest, one version)', () => {
    expect(manifestKey.startsWith(`Migration${CONSOLE_MANIFEST_OUTPUT}`)).toBe(true);
    const written: ConsoleManifest = JSON.parse(outputs[manifestKey].Value);
    expect(written.v).toBe(CONSOLE_MANIFEST_VERSION);
    const m = manifestOf({ Outputs: Object.entries(outputs).map(([OutputKey, o]) => ({ OutputKey, OutputValue: o.Value })) }, 'PaymentTarget');
    expect(m).toEqual(written);
    expect(m.kind).toBe('aurora-global');
  });

  test('a manifest of an older version is read, with the documented defaults for what it lacks', () => {
    // GIVEN the oldest manifest a console must read: version 1 without the keys added later (tbl, sh) or alarms
    const { tbl: _tbl, sh: _sh, alarms: _alarms, ...oldest } = JSON.parse(outputs[manifestKey].Value);
    const m = manifestOf({ Outputs: [{ OutputKey: manifestKey, OutputValue: JSON.stringify({ ...oldest, v: 1 }) }] }, 'PaymentTarget');
    // THEN the defaults: traffic by DNS, no gating alarm, no record table
    expect(m).toMatchObject({ v: 1, sm: oldest.sm, ctl: oldest.ctl, sh: { k: 'dns' }, alarms: [] });
    expect(m.tbl).toBeUndefined();
  });

  test('a manifest of a newer version is refused: upgrade the console', () => {
    const newer = { ...JSON.parse(outputs[manifestKey].Value), v: CONSOLE_MANIFEST_VERSION + 1 };
    expect(() => manifestOf({ Outputs: [{ OutputKey: manifestKey, OutputValue: JSON.stringify(newer) }] }, 'PaymentTarget'))
      .toThrow(`The ConsoleManifest of PaymentTarget has version ${CONSOLE_MANIFEST_VERSION + 1}; this console reads up to ${CONSOLE_MANIFEST_VERSION}: upgrade cdk-payment-migration`);
    expect(() => manifestOf({ Outputs: [{ OutputKey: manifestKey, OutputValue: '{"sm":"x"}' }] }, 'PaymentTarget')).toThrow(/has no format version/);
  });

  test('a manifest of a stack deployed before the cutover record (no tbl, same version) is still read', () => {
    // GIVEN the manifest as an older library wrote it
    const { tbl: _tbl, ...older } = JSON.parse(outputs[manifestKey].Value);
    // WHEN the console reads it
    const m = manifestOf({ Outputs: [{ OutputKey: manifestKey, OutputValue: JSON.stringify(older) }] }, 'PaymentTarget');
    // THEN everything but the record is there (status shows no record; recover says to redeploy: test/system/console/record.test.ts)
    expect(m.tbl).toBeUndefined();
    expect(m).toMatchObject({ v: 1, sm: older.sm, rc: older.rc, ctl: older.ctl });
  });

  test('the runbook names the console next to the raw aws commands', () => {
    const key = Object.keys(outputs).find((k) => k.startsWith('MigrationRunbookConsole'))!;
    expect(outputs[key].Value).toContain('npx payment-migration start --dry-run --stack PaymentTarget --region eu-west-1');
    expect(outputs[key].Value).toContain('npx payment-migration approve|reject --stack PaymentTarget --region eu-west-1');
    expect(outputs[key].Value).toMatch(/A rollback that did not finish \(status: record STUCK, or held by an ended execution\), writer first, then traffic: npx payment-migration recover --stack PaymentTarget --region eu-west-1/);
    expect(outputs[key].Value.length).toBeLessThan(1024);
    // the raw commands stay
    expect(Object.keys(outputs).filter((k) => /^MigrationRunbook(Cutover|ManualRollback|Database)/.test(k))).toHaveLength(3);
  });
});

describe('addConsoleOutputs on the on-premises path (the call for buildOnPremises)', () => {
  test('kind dms, the writer parameter and both DMS tasks; no global cluster, no source load balancer', () => {
    const { stack } = onPremises();
    const t = Template.fromStack(stack).toJSON();
    const key = Object.keys(t.Outputs).find((k) => k.startsWith('MigrationConsoleManifest'))!;
    const m = JSON.parse(resolver(t, { zoneId: 'Z1' })(t.Outputs[key].Value));
    expect(m).toMatchObject({ kind: 'dms', wr: '/payments/database/writer', tgt: { r: 'us-east-1' }, dms: { fwd: expect.any(String), rev: expect.any(String) } });
    expect(m.dms.fwd).not.toBe(m.dms.rev);
    expect(m).not.toHaveProperty('gc');
    expect(m).not.toHaveProperty('src');
    // the gates the bakes poll before the writer moves (DMS, VPN) are in the manifest too
    expect(m.alarms.length).toBeGreaterThanOrEqual(5);
  });
});
