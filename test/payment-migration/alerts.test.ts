import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { onPremises, target } from './fixtures';
import { buildOnPremisesMigration } from '../../examples/on-premises/app';
import { buildReferenceMigration } from '../../examples/reference/app';
import { MigrationSide, PaymentMigration } from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { bundleHandler } from '../weighted-cutover/bundle';

/** Every alarm of a template, with the actions its ALARM and OK transitions take. */
function alarms(template: Template): Array<{ id: string; name: string; alarm: unknown[]; ok: unknown[] }> {
  return Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, r]: [string, any]) => ({
    id,
    name: JSON.stringify(r.Properties.AlarmName ?? r.Properties.AlarmDescription ?? id),
    alarm: r.Properties.AlarmActions ?? [],
    ok: r.Properties.OKActions ?? [],
  }));
}

function topicOf(template: Template): string {
  const topics = Object.keys(template.findResources('AWS::SNS::Topic')).filter((id) => id.startsWith('MigrationOrchestratorNotifications'));
  expect(topics).toHaveLength(1);
  return topics[0];
}

describe('alarms page someone: every alarm of a migration acts on the migration topic', () => {
  test.each([
    ['target region', () => target().template],
    ['datacenter to AWS', () => onPremises().template],
  ])('%s: every alarm has an ALARM and an OK action to the topic', (_side, build) => {
    const template = build();
    const all = alarms(template);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const topic = { Ref: topicOf(template) };
    const actsOnTopic = (list: unknown[]) => list.some((x) => JSON.stringify(x) === JSON.stringify(topic));
    const silent = all.filter((a) => !actsOnTopic(a.alarm) || !actsOnTopic(a.ok));
    expect(silent.map((a) => a.id)).toEqual([]);
    template.hasOutput('*', { Value: topic, Description: 'Every alarm of the migration and the cutover notifications: subscribe on-call here' });
  });

  test('emails are subscribed to the topic; an existing topic takes the alarms and the notifications instead', () => {
    const { template } = target({}, 'eu-west-1', { emails: ['oncall@example.com', 'payments-sre@example.com'] });
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email', TopicArn: { Ref: topicOf(template) } }, 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'oncall@example.com' });

    const existing = 'arn:aws:sns:eu-west-1:111111111111:oncall';
    const withTopic = target({}, 'eu-west-1', (stack) => ({ topic: sns.Topic.fromTopicArn(stack, 'OnCall', existing) })).template;
    expect(Object.keys(withTopic.findResources('AWS::SNS::Topic')).filter((id) => id.includes('Orchestrator'))).toEqual([]);
    for (const a of alarms(withTopic)) {
      expect({ id: a.id, alarm: a.alarm, ok: a.ok }).toEqual({ id: a.id, alarm: [existing], ok: [existing] });
    }
  });

  test('the source region creates no alarm, so `alerts` there is refused; a malformed email is refused', () => {
    const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new PaymentMigration(stack, 'M', {
      name: 'payments',
      side: MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:p' }),
      alerts: { emails: ['oncall@example.com'] },
    })).toThrow(/Source\/M:\n- `alerts` applies to the sides that create alarms/);
    expect(() => target({}, 'eu-west-1', { emails: ['oncall.example.com'] })).toThrow(/`alerts\.emails\[0\]` must be an email address, got: "oncall\.example\.com"/);
  });
});

describe('after a successful cutover nothing pages falsely, and the way back is watched', () => {
  /** The alarms on a replication metric, with their task dimension (DMS) or cluster (Aurora), resolved. */
  const REPLICATION_METRICS = ['AuroraGlobalDBReplicationLag', 'CDCLatencySource', 'CDCLatencyTarget'];
  function replicationAlarms(template: Template): Array<{ id: string; props: any }> {
    return Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
      .filter(([, r]: [string, any]) => REPLICATION_METRICS.includes(r.Properties.MetricName))
      .map(([id, r]: [string, any]) => ({ id, props: r.Properties }));
  }

  test.each([
    ['target region (defect 1: the new primary publishes no AuroraGlobalDBReplicationLag)', () => target().template, 1],
    ['datacenter to AWS (defect 2: the forward task is stopped after the writer move)', () => onPremises().template, 4],
  ])('%s: no replication alarm breaches on missing data, and INSUFFICIENT_DATA pages nobody', (_side, build, count) => {
    const template = build();
    const found = replicationAlarms(template);
    // a finished cutover leaves these metrics without data: breaching would page (ALARM action) and, for an alarm on
    // the event path, start the alarm rollback; `missing` makes it INSUFFICIENT_DATA instead
    expect(found.filter((a) => a.props.TreatMissingData !== 'missing').map((a) => a.id)).toEqual([]);
    // the lag alarm of the secondary; on the datacenter path the forward and the reverse task's, source and target
    expect(found).toHaveLength(count);
    // PaymentMigration routes ALARM and OK only: an INSUFFICIENT_DATA transition has no action on any alarm
    const all = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    expect(all.filter(([, r]: [string, any]) => r.Properties.InsufficientDataActions !== undefined).map(([id]) => id)).toEqual([]);
    // and the alarm rollback starts on ALARM only, never on INSUFFICIENT_DATA
    for (const rule of Object.values(template.findResources('AWS::Events::Rule')).filter((r: any) => r.Properties.EventPattern.source?.includes('aws.cloudwatch'))) {
      expect((rule as any).Properties.EventPattern.detail).toEqual({ state: { value: ['ALARM'] } });
    }
  });

  test('datacenter to AWS: the reverse task\'s CDC latency is alarmed, routed to the topic on ALARM and OK, and gates nothing (defect 3)', () => {
    const { stack, migration, template } = onPremises();
    const { replication, orchestrator } = migration.datacenterToAws();
    const reverse = [replication.reverseCdcLatencySourceAlarm!, replication.reverseCdcLatencyTargetAlarm!];
    expect(reverse.every((a) => a !== undefined)).toBe(true);
    const topic = { Ref: topicOf(template) };
    for (const [alarm, metricName] of [[reverse[0], 'CDCLatencySource'], [reverse[1], 'CDCLatencyTarget']] as const) {
      const id = stack.getLogicalId(alarm.node.defaultChild as CfnElement);
      expect(template.toJSON().Resources[id].Properties).toEqual(expect.objectContaining({
        MetricName: metricName,
        Dimensions: expect.arrayContaining([{ Name: 'ReplicationTaskIdentifier', Value: stack.resolve(replication.reverseReplicationTaskResourceId) }]),
        TreatMissingData: 'missing',
        AlarmActions: [topic],
        OKActions: [topic],
      }));
      expect(template.toJSON().Resources[id].Properties.InsufficientDataActions).toBeUndefined();
    }
    // not a gate: before the cutover the reverse task does not run (INSUFFICIENT_DATA), which would block every start
    expect(orchestrator.gatingAlarms.filter((a) => reverse.includes(a as any))).toEqual([]);
  });
});

describe('the topic is passed down: each construct pages through its `alarmActions`, no walk of the tree', () => {
  /** Alarms of the reference apps, every shifting; with actions as of the tree walk (before issue 21): 66. */
  function referenceAlarms(): Array<{ path: string; props: any; topic: string }> {
    bundleHandler();
    bundlePeerRoutesHandler();
    const stacks: Stack[] = [];
    for (const shifting of ['dns', 'global-accelerator'] as const) stacks.push(buildReferenceMigration(new App(), undefined, shifting).target);
    for (const shifting of ['dns', 'load-balancer'] as const) stacks.push(...buildOnPremisesMigration(new App(), undefined, shifting).stacks);
    return stacks.flatMap((stack) => {
      const template = Template.fromStack(stack);
      const topics = Object.keys(template.findResources('AWS::SNS::Topic')).filter((id) => id.startsWith('MigrationOrchestratorNotifications'));
      return Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, r]: [string, any]) => ({ path: `${stack.node.path}/${id}`, props: r.Properties, topic: topics[0] }));
    });
  }

  test('both reference apps: every alarm sends ALARM and OK to the migration topic, none INSUFFICIENT_DATA, as many as before', () => {
    const all = referenceAlarms();
    const pages = (list: unknown, topic: string) => JSON.stringify(list) === JSON.stringify([{ Ref: topic }]);
    expect(all.filter((a) => !a.topic || !pages(a.props.AlarmActions, a.topic) || !pages(a.props.OKActions, a.topic)).map((a) => a.path)).toEqual([]);
    expect(all.filter((a) => a.props.InsufficientDataActions !== undefined).map((a) => a.path)).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(66);
    // the alarm the side makes itself (outside a construct with `alarmActions`) is among them
    expect(all.filter((a) => a.path.includes('VpnCapacityAlarm'))).toHaveLength(2);
  });
});
