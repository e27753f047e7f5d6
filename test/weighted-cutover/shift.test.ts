import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { bundleHandler } from './bundle';
import { CutoverEndpoint, WeightedCutover } from '../../src/weighted-cutover';

const ALB = { dnsName: 'payments-123.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' };
const ZONE_ID = 'Z0123456789ABC';

beforeAll(() => {
  bundleHandler();
});

/** A cutover in an existing zone with literal endpoints and no health checks: everything resolves to plain text. */
function cutoverIn(stack: Stack, healthChecks = false): WeightedCutover {
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'pay.example.com' });
  return new WeightedCutover(stack, 'Cutover', {
    hostedZone: zone,
    recordNames: ['api', 'checkout'],
    source: CutoverEndpoint.fromIpAddresses(['52.94.76.10'], Duration.seconds(30)),
    target: CutoverEndpoint.fromLoadBalancerAttributes(ALB),
    healthCheck: { enabled: healthChecks },
  });
}

function stackIn(): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The state machine's ASL with every token replaced by a readable placeholder. */
function asl(template: Template): any {
  const sm = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const def = sm.Properties.DefinitionString;
  const parts: unknown[] = typeof def === 'string' ? [def] : def['Fn::Join'][1];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const o = p as Record<string, any>;
      if (o.Ref) return `<${o.Ref}>`;
      if (o['Fn::GetAtt']) return `<${o['Fn::GetAtt'].join('.')}>`;
      return '<token>';
    })
    .join('');
  return JSON.parse(text);
}

describe('shiftFragment', () => {
  // GIVEN Pass(set $.split) → fragment, in a state machine
  const stack = stackIn();
  const cutover = cutoverIn(stack, true);
  const setSplit = new sfn.Pass(stack, 'SetSplit', { result: sfn.Result.fromObject({ sourceWeight: 90, targetWeight: 10 }), resultPath: '$.split' });
  const fragment = cutover.shiftFragment(stack, 'Shift10');
  const sm = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(setSplit.next(fragment)) });
  const template = Template.fromStack(stack);
  const states = asl(template).States;

  test('is a StateMachineFragment whose states are named after its id', () => {
    expect(fragment).toBeInstanceOf(sfn.StateMachineFragment);
    expect(Object.keys(states).sort()).toEqual([
      'SetSplit',
      'Shift10 ChangeRecordSets',
      'Shift10 CountPoll',
      'Shift10 GetChange',
      'Shift10 InSync?',
      'Shift10 InsyncTimeout',
      'Shift10 InvalidSplit',
      'Shift10 Shifted',
      'Shift10 ValidateSplit',
      'Shift10 WaitForInsync',
    ]);
    expect(states.SetSplit.Next).toBe('Shift10 ValidateSplit');
    expect(states['Shift10 Shifted'].End).toBe(true);
  });

  test('validates the split before calling Route 53: two numbers 0–255, not both 0', () => {
    const choice = states['Shift10 ValidateSplit'];
    expect(choice.Choices[0].Next).toBe('Shift10 ChangeRecordSets');
    expect(choice.Default).toBe('Shift10 InvalidSplit');
    const rule = JSON.stringify(choice.Choices[0]);
    for (const w of ['sourceWeight', 'targetWeight']) {
      expect(rule).toContain(`{"Variable":"$.split.${w}","IsNumeric":true}`);
      expect(rule).toContain(`{"Variable":"$.split.${w}","NumericLessThanEquals":255}`);
      expect(rule).toContain(`{"Variable":"$.split.${w}","NumericGreaterThan":0}`);
    }
    expect(states['Shift10 InvalidSplit']).toMatchObject({ Type: 'Fail', Error: 'WeightedCutover.InvalidSplit' });
  });

  test('ONE changeResourceRecordSets call UPSERTs both sides of every name, weights from $.split, bodies baked in', () => {
    const change = states['Shift10 ChangeRecordSets'];
    expect(change.Resource).toBe('arn:<AWS::Partition>:states:::aws-sdk:route53:changeResourceRecordSets');
    expect(change.Parameters.HostedZoneId).toBe(ZONE_ID);
    const changes = change.Parameters.ChangeBatch.Changes;
    expect(changes).toHaveLength(4);
    expect(changes[0]).toEqual({
      Action: 'UPSERT',
      ResourceRecordSet: {
        'Name': 'api.pay.example.com',
        'Type': 'A',
        'SetIdentifier': 'source',
        'Ttl': 30,
        'ResourceRecords': [{ Value: '52.94.76.10' }],
        'HealthCheckId': expect.stringMatching(/^<CutoverSourceHttps.*\.HealthCheckId>$/),
        'Weight.$': '$.split.sourceWeight',
      },
    });
    expect(changes[1]).toEqual({
      Action: 'UPSERT',
      ResourceRecordSet: {
        'Name': 'api.pay.example.com',
        'Type': 'A',
        'SetIdentifier': 'target',
        'AliasTarget': { HostedZoneId: ALB.canonicalHostedZoneId, DnsName: ALB.dnsName, EvaluateTargetHealth: true },
        'HealthCheckId': expect.stringMatching(/^<CutoverTargetHttps.*\.HealthCheckId>$/),
        'Weight.$': '$.split.targetWeight',
      },
    });
    expect(changes.map((c: any) => `${c.ResourceRecordSet.Name} ${c.ResourceRecordSet['Weight.$']}`)).toEqual([
      'api.pay.example.com $.split.sourceWeight',
      'api.pay.example.com $.split.targetWeight',
      'checkout.pay.example.com $.split.sourceWeight',
      'checkout.pay.example.com $.split.targetWeight',
    ]);
    expect(change.ResultSelector).toEqual({ 'Id.$': '$.ChangeInfo.Id', 'Status.$': '$.ChangeInfo.Status', 'SubmittedAt.$': '$.ChangeInfo.SubmittedAt', 'Polls': 0 });
    expect(change.ResultPath).toBe('$.shift.change');
    expect(change.Next).toBe('Shift10 InSync?');
  });

  test('polls GetChange (Wait + Choice on INSYNC), bounded: timeout 5 min / 5 s = 60 polls, then WeightedCutover.InsyncTimeout', () => {
    const inSync = states['Shift10 InSync?'];
    expect(inSync.Choices).toEqual([
      { Variable: '$.shift.change.Status', StringEquals: 'INSYNC', Next: 'Shift10 Shifted' },
      { Variable: '$.shift.change.Polls', NumericGreaterThanEquals: 60, Next: 'Shift10 InsyncTimeout' },
    ]);
    expect(inSync.Default).toBe('Shift10 WaitForInsync');
    expect(states['Shift10 WaitForInsync']).toEqual({ Type: 'Wait', Seconds: 5, Next: 'Shift10 GetChange' });
    expect(states['Shift10 GetChange']).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:route53:getChange',
      Parameters: { 'Id.$': '$.shift.change.Id' },
      ResultPath: '$.shift.change.Latest',
      Next: 'Shift10 CountPoll',
    });
    expect(states['Shift10 CountPoll']).toMatchObject({
      Type: 'Pass',
      Parameters: { 'Polls.$': 'States.MathAdd($.shift.change.Polls, 1)', 'Status.$': '$.shift.change.Latest.Status', 'Id.$': '$.shift.change.Id' },
      ResultPath: '$.shift.change',
      Next: 'Shift10 InSync?',
    });
    expect(states['Shift10 InsyncTimeout']).toMatchObject({ Type: 'Fail', Error: 'WeightedCutover.InsyncTimeout' });
  });

  test('both Route 53 calls retry throttling with backoff rate 2', () => {
    for (const s of ['Shift10 ChangeRecordSets', 'Shift10 GetChange']) {
      expect(states[s].Retry).toEqual([
        {
          ErrorEquals: ['Route53.ThrottlingException', 'Route53.PriorRequestNotCompleteException', 'Route53.Route53Exception'],
          IntervalSeconds: 1,
          MaxAttempts: 6,
          BackoffRate: 2,
        },
      ]);
    }
  });

  test('the state machine role gets exactly grantShift\'s permissions: no unconditioned ChangeResourceRecordSets', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const change = statements.filter((s: any) => [s.Action].flat().includes('route53:ChangeResourceRecordSets'));
    expect(change).toHaveLength(1);
    expect(change[0].Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.pay.example.com', 'checkout.pay.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
    expect(change[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${ZONE_ID}`]] });
    const getChange = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.toLowerCase() === 'route53:getchange'));
    expect(getChange.length).toBeGreaterThanOrEqual(1);
    for (const s of getChange) expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::change/*']] });
    expect(sm).toBeDefined();
  });

  test('usable twice in one state machine, with options (split path, result path, poll interval, timeout)', () => {
    // GIVEN
    const s = stackIn();
    const c = cutoverIn(s);
    const first = c.shiftFragment(s, 'To10');
    const second = c.shiftFragment(s, 'To50', { splitPath: '$.next', resultPath: '$.second', pollInterval: Duration.seconds(10), timeout: Duration.minutes(1) });
    // WHEN
    new sfn.StateMachine(s, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(first.next(second)) });
    // THEN
    const st = asl(Template.fromStack(s)).States;
    expect(st['To10 Shifted'].Next).toBe('To50 ValidateSplit');
    expect(st['To50 ChangeRecordSets'].Parameters.ChangeBatch.Changes[0].ResourceRecordSet['Weight.$']).toBe('$.next.sourceWeight');
    expect(st['To50 ChangeRecordSets'].ResultPath).toBe('$.second');
    expect(st['To50 WaitForInsync'].Seconds).toBe(10);
    expect(st['To50 InSync?'].Choices[1]).toEqual({ Variable: '$.second.Polls', NumericGreaterThanEquals: 6, Next: 'To50 InsyncTimeout' });
  });

  test.each<[string, object, RegExp]>([
    ['poll interval under 1 s', { pollInterval: Duration.millis(500) }, /`pollInterval` must be whole seconds, at least 1, got: 0.5/],
    ['timeout shorter than the interval', { pollInterval: Duration.seconds(30), timeout: Duration.seconds(10) }, /`timeout` must be at least `pollInterval`, got: 10/],
    ['bad split path', { splitPath: 'split' }, /`splitPath` must be a JSONPath of fields such as \$.split, got: "split"/],
    ['bad result path', { resultPath: '$' }, /`resultPath` must be a JSONPath of fields.*got: "\$"/],
  ])('rejects %s', (_name, options, message) => {
    const s = stackIn();
    expect(() => cutoverIn(s).shiftFragment(s, 'Shift', options)).toThrow(message);
  });
});

describe('grantShift', () => {
  test('grants UPSERT of these names and type on the zone, and GetChange', () => {
    // GIVEN
    const stack = stackIn();
    const cutover = cutoverIn(stack);
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    const grant = cutover.grantShift(role);
    // THEN
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Operator') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'route53:ChangeResourceRecordSets',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${ZONE_ID}`]] },
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.pay.example.com', 'checkout.pay.example.com'],
                'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
                'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
              },
            },
          },
          {
            Action: 'route53:GetChange',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::change/*']] },
          },
        ],
      },
    });
  });
});

describe('splitFor and shiftCommand', () => {
  const stack = stackIn();
  const cutover = cutoverIn(stack);

  test.each([
    [0, { sourceWeight: 100, targetWeight: 0 }],
    [10, { sourceWeight: 90, targetWeight: 10 }],
    [50, { sourceWeight: 50, targetWeight: 50 }],
    [100, { sourceWeight: 0, targetWeight: 100 }],
  ])('splitFor(%d) = %o', (percent, split) => {
    expect(cutover.splitFor(percent)).toEqual(split);
  });

  test.each([101, -5, 33.3])('splitFor(%d) is rejected, naming the prop and the value', (percent) => {
    expect(() => cutover.splitFor(percent)).toThrow(new RegExp(`\`targetPercent\` must be an integer percentage between 0 and 100.*got: ${percent}`));
    expect(() => cutover.shiftCommand(percent)).toThrow(/`targetPercent` must be an integer percentage/);
  });

  test('with deploy-time values (health-check ids) the command is a token CloudFormation resolves', () => {
    const s = stackIn();
    const withChecks = cutoverIn(s, true);
    expect(Token.isUnresolved(withChecks.shiftCommand(0))).toBe(true);
    expect(JSON.stringify(s.resolve(withChecks.shiftCommand(0)))).toMatch(/HealthCheckId/);
  });

  test('the CLI command carries the same change batch, weights filled in, then waits for INSYNC', () => {
    const command = cutover.shiftCommand(25);
    const match = /^CHANGE_ID=\$\(aws route53 change-resource-record-sets --hosted-zone-id (\S+) --change-batch '(.*)' --query ChangeInfo.Id --output text\) && aws route53 wait resource-record-sets-changed --id "\$CHANGE_ID"$/.exec(command);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(ZONE_ID);
    const batch = JSON.parse(match![2]);
    expect(batch.Changes.map((c: any) => `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.SetIdentifier}=${c.ResourceRecordSet.Weight}`)).toEqual([
      'UPSERT api.pay.example.com source=75',
      'UPSERT api.pay.example.com target=25',
      'UPSERT checkout.pay.example.com source=75',
      'UPSERT checkout.pay.example.com target=25',
    ]);
    expect(batch.Changes[1].ResourceRecordSet.AliasTarget).toEqual({
      HostedZoneId: ALB.canonicalHostedZoneId,
      DNSName: ALB.dnsName,
      EvaluateTargetHealth: true,
    });
    expect(batch.Changes[0].ResourceRecordSet).toMatchObject({ TTL: 30, ResourceRecords: [{ Value: '52.94.76.10' }] });
  });
});
