import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceMigration } from '../../examples/reference/app';
import { AcceleratorCutover } from '../../src';
import { observePopulation } from '../../src/rehearsal/client-population';
import { rehearse } from '../../src/rehearsal/rehearse';
import { expectNoNagFindings } from '../support/nag';

describe('the reference migration with Global Accelerator shifting', () => {
  const app = new App();
  const { target, edge } = buildReferenceMigration(app, undefined, 'global-accelerator');
  const template = Template.fromStack(target);
  const t = template.toJSON() as any;

  test('a third stack in us-west-2 holds the accelerator; the target\'s cutover moves its dials', () => {
    expect(edge?.region).toBe('us-west-2');
    Template.fromStack(edge!).resourceCountIs('AWS::GlobalAccelerator::EndpointGroup', 2);
    const migration = target.node.findChild('Migration') as any;
    expect(migration.targetRegion().shifter).toBeInstanceOf(AcceleratorCutover);
    expect(JSON.stringify(t)).not.toContain('changeResourceRecordSets');
  });

  test('the names point at the accelerator from the start; the DNS bypass goes straight to the source\'s load balancer', () => {
    const records = Object.values<any>(template.findResources('Custom::WeightedRecords'))[0].Properties;
    expect(records.InitialWeights).toEqual({ Source: 0, Target: 100 });
    const targetRecord = records.Records.find((r: any) => r.Side === 'target').Record;
    expect(targetRecord.AliasTarget).toMatchObject({ HostedZoneId: 'Z2BJ6XQ5FK7U4H', DNSName: 'a1234567890abcdef.awsglobalaccelerator.com' });
    const bypass = Object.entries<any>(t.Outputs).find(([id]) => id.startsWith('MigrationRunbookDnsBypass'));
    expect(JSON.stringify(bypass?.[1].Value)).toContain('aws route53 change-resource-record-sets');
    const manual = Object.entries<any>(t.Outputs).find(([id]) => id.startsWith('MigrationRunbookManualRollback'));
    expect(JSON.stringify(manual?.[1].Value)).toMatch(/aws globalaccelerator --region us-west-2 update-endpoint-group/);
    expect(JSON.stringify(manual?.[1].Value)).not.toContain('route53');
  });

  test('cdk-nag: no unacknowledged finding in the target and the edge', () => {
    expectNoNagFindings(target);
    expectNoNagFindings(edge!);
  });

  test('rehearsed: the happy path moves both dials at every step and the population sees the split once connections turn over', async () => {
    const r = await rehearse({ template: t, scenario: { name: 'ga happy', accelerator: { deploySeconds: 5 } } });
    expect(r.parameterErrors).toEqual([]);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.weightChanges.map((c) => [c.source, c.target])).toEqual([[75, 25], [50, 50], [25, 75], [0, 100]]);
    expect(r.weightChanges.every((c) => c.via === 'accelerator' && c.inEffectAt !== undefined)).toBe(true);
    const p = observePopulation(r.weightChanges, r.duration, { connectionLifetime: 60 });
    for (const s of p.steps.slice(0, 4)) expect(Math.abs(s.observed - s.intended)).toBeLessThan(6);
  });

  test('rehearsed: a dial change that never deploys fails the step and rolls back (both dials back)', async () => {
    const r = await rehearse({ template: t, scenario: { name: 'ga stuck', accelerator: { deploySeconds: 5, stuckUpdates: [3] } } });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toMatch(/NotInEffect|did not|DEPLOYED/);
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
  });

  test('rehearsed: an alarm event rolls the dials back; the rollback\'s calls are throttled and retried', async () => {
    const r = await rehearse({
      template: t,
      scenario: { name: 'ga alarm', accelerator: { deploySeconds: 5 }, alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 473 }], alarmEvents: [{ at: 473, alarm: 'HealthyHostsAlarm' }] },
    });
    expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    expect(r.rollbackLatency).toBeLessThan(5);
  });
});
