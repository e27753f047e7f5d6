import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { WORKFLOW_METADATA_KEY } from '../../src/private/workflow-metadata';
import { workflowMachinesOf } from '../../src/rehearsal/resolve-template';
import { RehearsalUsageError, runRehearsals, verdictOf } from '../../src/rehearsal/run-rehearsals';
import { buildFixture } from '../migration-orchestrator/fixture';

jest.setTimeout(60_000);

// GIVEN a synthesized orchestrator, and a template synthesized before the workflow metadata (state machines only)
const template = Template.fromStack(buildFixture().stack).toJSON() as any;
const before = JSON.parse(readFileSync(join(__dirname, '..', 'simulation', 'before', 'aurora.json'), 'utf-8'));
const machines = (t: any) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');

describe('the state machines are found by their CloudFormation metadata', () => {
  test('each orchestrator state machine carries its workflow; the rehearsal finds them by it', () => {
    const marked = Object.fromEntries(machines(template).map(([id, r]) => [r.Metadata?.[WORKFLOW_METADATA_KEY], id]));
    expect(Object.keys(marked).sort()).toEqual(['alarm-rollback', 'bake', 'cutover', 'recovery']);
    const found = workflowMachinesOf(template);
    for (const kind of Object.keys(marked) as Array<keyof typeof found>) expect(found[kind]?.logicalId).toBe(marked[kind]);
    expect(found.cutover?.asl.States).toBeDefined();
  });

  test('not by their Comment: a reworded Comment changes nothing', () => {
    const reworded = JSON.parse(JSON.stringify(template).replace(/Payment migration cutover/g, 'Cutover of the payments'));
    expect(workflowMachinesOf(reworded).cutover?.logicalId).toBe(workflowMachinesOf(template).cutover?.logicalId);
  });

  test('a template synthesized before the metadata: found by the Comment (the fallback)', () => {
    expect(machines(before).every(([, r]) => r.Metadata === undefined)).toBe(true);
    const found = workflowMachinesOf(before);
    expect(Object.keys(found).sort()).toEqual(['alarm-rollback', 'cutover', 'recovery']);
    expect(found.cutover?.logicalId).toMatch(/^OrchestratorCutover/);
  });
});

describe('one rehearsal command behind both entry points', () => {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`ERR ${t}`) };

  test('runs the scenarios and gives each its verdict; exit 0 when all end as expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-rehearse-'));
    const file = join(dir, 'stack.template.json');
    writeFileSync(file, JSON.stringify(template));
    const { code, runs } = await runRehearsals({ positional: [file, 'happy-path', 'alarm-event'], json: false, usage: 'u', ...io });
    expect(runs.map((r) => [r.key, r.expected])).toEqual([['happy-path', true], ['alarm-event', true]]);
    expect(lines.join('')).toMatch(/✓ happy path: .*: SUCCEEDED, target weight 100, as expected/);
    expect(code).toBe(0);
  });

  test('usage errors say what to do', async () => {
    await expect(runRehearsals({ positional: [], json: false, usage: 'payment-migration-rehearse <template.json>', ...io }))
      .rejects.toThrow(new RehearsalUsageError('rehearse needs a synthesized template: payment-migration-rehearse <template.json>'));
    await expect(runRehearsals({ positional: ['/nonexistent.json'], json: false, usage: 'u', ...io })).rejects.toThrow(/Cannot read the template \/nonexistent\.json/);
  });

  test('the verdict: traffic left split, or an expectation missed (status, weight, writers, data problems)', () => {
    const result: any = { status: 'SUCCEEDED', finalWeights: { source: 0, target: 100 }, writerChanges: [], databaseWriterChanges: [{ writer: 'us-east-1' }], dataProblems: [] };
    const scenario: any = { name: 's', expect: { status: 'SUCCEEDED', finalTargetWeight: 100 } };
    expect(verdictOf(scenario, result)).toEqual({ problem: undefined, line: '✓ s: SUCCEEDED, target weight 100, as expected' });
    expect(verdictOf(scenario, { ...result, finalWeights: { source: 50, target: 50 } }).problem).toBe('traffic left split 50/50');
    expect(verdictOf({ ...scenario, expect: { ...scenario.expect, databaseWriter: ['eu-west-1'] } }, result).problem)
      .toBe('expected SUCCEEDED at target 100, Aurora writer eu-west-1, got SUCCEEDED at 100, Aurora writer us-east-1');
    expect(verdictOf(scenario, { ...result, dataProblems: ['lost write'] }).problem).toMatch(/; data problems: lost write$/);
  });

  test('payment-migration-rehearse (the bin) is the same command: usage exit 2', () => {
    const run = spawnSync('npx', ['ts-node', '--transpile-only', join(__dirname, '..', '..', 'src', 'rehearsal', 'cli.ts'), '--help'], { encoding: 'utf-8' });
    expect(run.stderr).toMatch(/^usage: payment-migration-rehearse <template\.json> \[happy-path\|/);
    expect(run.status).toBe(2);
  });
});
