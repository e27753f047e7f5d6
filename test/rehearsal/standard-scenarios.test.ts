import { Template } from 'aws-cdk-lib/assertions';
import { TrafficShifting } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';
import { STANDARD_SCENARIOS } from '../../src/rehearsal/standard-scenarios';
import { buildDmsFixture } from '../migration-orchestrator/dms-fixture';
import { buildFixture, templateOf } from '../migration-orchestrator/fixture';
import { onPremises } from '../payment-migration/fixtures';

// The scenarios the CLI runs by name, each against the path it is written for, end as they say they do.
const s1 = templateOf(buildFixture());
const s2 = Template.fromStack(buildDmsFixture().stack).toJSON() as any;
const s2lb = onPremises(() => ({ shifting: TrafficShifting.loadBalancer({ legacyTargets: ['192.168.10.31'] }) })).template.toJSON() as any;

describe.each(Object.entries(STANDARD_SCENARIOS))('standard scenario %s', (key, scenario) => {
  test('ends as it expects, with member names the APIs accept and no data problem', async () => {
    const r = await rehearse({ template: key.startsWith('lb-') ? s2lb : key.startsWith('dms-') ? s2 : s1, scenario });
    expect(r.parameterErrors).toEqual([]);
    expect(r.dataProblems).toEqual([]);
    const expected = scenario.expect!;
    expect({ status: r.status, finalTargetWeight: r.finalWeights.target })
      .toEqual({ status: expected.status, finalTargetWeight: expected.finalTargetWeight });
    if (scenario.expect!.writer) expect(r.writerChanges.map((c) => c.value)).toEqual(scenario.expect!.writer);
    if (scenario.expect!.databaseWriter) expect(r.databaseWriterChanges.map((c) => c.writer)).toEqual(scenario.expect!.databaseWriter);
  });
});

test('a scenario written for a shifter refuses a cutover without it', async () => {
  await expect(rehearse({ template: s2, scenario: STANDARD_SCENARIOS['lb-not-in-effect'] })).rejects.toThrow(/is for load-balancer shifting, and this cutover does not shift on a listener/);
  await expect(rehearse({ template: s1, scenario: { name: 'ga', accelerator: {} } })).rejects.toThrow(/is for Global Accelerator shifting/);
});
