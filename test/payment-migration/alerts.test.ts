import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { onPremises, target } from './fixtures';
import { MigrationSide, PaymentMigration } from '../../src';

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
