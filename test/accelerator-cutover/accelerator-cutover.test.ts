import { Duration, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ACCELERATOR, orchestratedStack, shifterIn, SOURCE_GROUP, stackIn, TARGET_GROUP } from './fixture';
import { AcceleratorCutover } from '../../src/accelerator-cutover';
import { LAMBDA_RUNTIME } from '../../src/private/lambda-runtime';
import { allStates } from '../support/asl';
import { foreignKey } from '../support/bad-input';
import { expectNoNagFindings } from '../support/nag';

const RETRY = {
  ErrorEquals: ['ThrottlingException', 'InternalServiceErrorException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
};

describe('AcceleratorCutover props', () => {
  test('literal ARNs of one accelerator and one listener are kept as given; tokens pass', () => {
    // GIVEN
    const stack = stackIn();
    // WHEN
    const shifter = shifterIn(stack);
    const tokens = new AcceleratorCutover(stack, 'Tokens', {
      acceleratorArn: Token.asString({ Ref: 'Acc' }),
      sourceEndpointGroupArn: Token.asString({ Ref: 'Src' }),
      targetEndpointGroupArn: Token.asString({ Ref: 'Tgt' }),
    });
    // THEN
    expect([shifter.acceleratorArn, shifter.sourceEndpointGroupArn, shifter.targetEndpointGroupArn])
      .toEqual([ACCELERATOR, SOURCE_GROUP, TARGET_GROUP]);
    expect(shifter.description).toMatch(/Global Accelerator traffic dials/);
    expect(Token.isUnresolved(tokens.acceleratorArn)).toBe(true);
  });

  const other = 'arn:aws:globalaccelerator::111111111111:accelerator/9999aaaa-bbbb-cccc-dddd-eeeeffff0000';
  test.each([
    ['a bad accelerator ARN', { acceleratorArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/x/1' }, /`acceleratorArn` must be a standard accelerator ARN .*got: "arn:aws:elasticloadbalancing/],
    ['a listener ARN for a group', { sourceEndpointGroupArn: `${ACCELERATOR}/listener/0123abcd` }, /`sourceEndpointGroupArn` must be an endpoint group ARN/],
    ['a group of another accelerator', { targetEndpointGroupArn: `${other}/listener/0123abcd/endpoint-group/bbbb2222` }, /`targetEndpointGroupArn` must be an endpoint group of `acceleratorArn`/],
    ['groups of two listeners', { targetEndpointGroupArn: `${ACCELERATOR}/listener/4567efef/endpoint-group/bbbb2222` }, /`targetEndpointGroupArn` must be on the same listener as `sourceEndpointGroupArn`/],
    ['one group twice', { targetEndpointGroupArn: SOURCE_GROUP }, /`targetEndpointGroupArn` must differ from `sourceEndpointGroupArn`/],
    ['a missing ARN', { acceleratorArn: undefined }, /`acceleratorArn` is required: it must be a string, got: undefined/],
    ['a log retention under a year', { logRetention: 30 }, /`logRetention` must keep the Global Accelerator calls' logs at least one year \(PCI DSS 10\.5\.1\), got: 30/],
    ['a key of another region', { encryptionKey: foreignKey(stackIn()) }, /`encryptionKey` must be in the stack's region eu-west-1 \(KMS keys are regional.*\), not us-east-1/],
  ])('refuses %s, naming the construct path', (_what, change, message) => {
    // GIVEN
    const stack = stackIn();
    const props = { acceleratorArn: ACCELERATOR, sourceEndpointGroupArn: SOURCE_GROUP, targetEndpointGroupArn: TARGET_GROUP, ...change } as any;
    // WHEN / THEN
    expect(() => new AcceleratorCutover(stack, 'Edge', props)).toThrow(/^AcceleratorCutover initialization failed at Target\/Edge:\n- /);
    expect(() => new AcceleratorCutover(stackIn(), 'Edge', props)).toThrow(message);
  });
});

describe('splitFor', () => {
  test.each([[0, 100, 0], [25, 75, 25], [100, 0, 100]])('%i %% → source dial %i, target dial %i', (percent, source, target) => {
    expect(shifterIn(stackIn()).splitFor(percent)).toEqual({ sourceWeight: source, targetWeight: target });
  });

  test.each([[-1, '-1'], [101, '101'], [12.5, '12.5'], [Number.NaN, 'NaN']])('refuses %p with the rule, the value and the path', (percent, shown) => {
    const shifter = shifterIn(stackIn());
    expect(() => shifter.splitFor(percent)).toThrow(
      `AcceleratorCutover.splitFor failed at Target/Edge:\n- \`targetPercent\` must be an integer percentage between 0 and 100 (the share of traffic sent to the target side), got: ${shown}`,
    );
  });
});

describe('the shift fragment in a MigrationOrchestrator', () => {
  // GIVEN an orchestrator with steps 25/50/75/100 shifting on the accelerator
  const { stack, template, machines } = orchestratedStack();
  const cutover = Object.entries(machines).find(([id]) => /Cutover/.test(id))![1];
  const states = allStates(cutover);
  const step = (name: string) => states[`Step 1 (25%) ${name}`];
  const fnArn = (arn: string) => /^arn:aws:rehearsal:eu-west-1:111111111111:CrossRegionAwsSdk8a0c93f3dbef4b71ac137aaf2048ce7e[0-9A-F]{8}\/Arn$/.test(arn);

  test('every use has its own states, named after the step (and the rollback)', () => {
    const names = Object.keys(states).filter((n) => n.startsWith('Step 1 (25%) ')).map((n) => n.slice('Step 1 (25%) '.length)).sort();
    expect(names).toEqual([
      'CountPoll', 'InEffect?', 'InvalidSplit', 'LowerDial', 'NotInEffect', 'RaiseDial', 'RaiseSourceFirst', 'RaiseTargetFirst',
      'ReadAccelerator', 'ReadSourceGroup', 'ReadTargetDial', 'ReadTargetGroup', 'Shifted', 'TargetDialUp?', 'ValidateSplit', 'WaitForDeploy',
    ]);
    expect(Object.keys(states).filter((n) => n.endsWith(' RaiseDial')).sort()).toEqual([
      'Rollback RaiseDial', 'Step 1 (25%) RaiseDial', 'Step 2 (50%) RaiseDial', 'Step 3 (75%) RaiseDial', 'Step 4 (100%) RaiseDial',
    ]);
  });

  test('validate → read the target dial → raise the dial that goes up → lower the other → wait → read back', () => {
    const validate = step('ValidateSplit');
    expect(validate.Choices).toHaveLength(1);
    expect(validate.Choices[0].Next).toBe('Step 1 (25%) ReadTargetDial');
    expect(validate.Default).toBe('Step 1 (25%) InvalidSplit');
    const bounds = JSON.stringify(validate.Choices[0]);
    for (const side of ['sourceWeight', 'targetWeight']) {
      expect(bounds).toContain(`{"Variable":"$.split.${side}","NumericLessThanEquals":100}`);
      expect(bounds).toContain(`{"Variable":"$.split.${side}","NumericGreaterThanEquals":0}`);
      expect(bounds).toContain(`{"Variable":"$.split.${side}","NumericGreaterThan":0}`);
    }
    expect(step('InvalidSplit')).toMatchObject({ Type: 'Fail', Error: 'AcceleratorCutover.InvalidSplit' });

    expect(step('ReadTargetDial')).toMatchObject({
      Parameters: { region: 'us-west-2', service: 'global-accelerator', action: 'describeEndpointGroup', parameters: { EndpointGroupArn: TARGET_GROUP } },
      ResultSelector: { 'TargetDialBefore.$': '$.EndpointGroup.TrafficDialPercentage' },
      ResultPath: '$.shift.change',
      Next: 'Step 1 (25%) TargetDialUp?',
    });
    expect(step('TargetDialUp?')).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.split.targetWeight', NumericGreaterThanEqualsPath: '$.shift.change.TargetDialBefore', Next: 'Step 1 (25%) RaiseTargetFirst' }],
      Default: 'Step 1 (25%) RaiseSourceFirst',
    });
    expect(step('RaiseTargetFirst')).toMatchObject({
      Parameters: {
        RaisedFirst: 'target',
        Polls: 0,
        First: { 'EndpointGroupArn': TARGET_GROUP, 'TrafficDialPercentage.$': '$.split.targetWeight' },
        Second: { 'EndpointGroupArn': SOURCE_GROUP, 'TrafficDialPercentage.$': '$.split.sourceWeight' },
      },
      Next: 'Step 1 (25%) RaiseDial',
    });
    expect(step('RaiseSourceFirst')).toMatchObject({
      Parameters: {
        RaisedFirst: 'source',
        First: { 'EndpointGroupArn': SOURCE_GROUP, 'TrafficDialPercentage.$': '$.split.sourceWeight' },
        Second: { 'EndpointGroupArn': TARGET_GROUP, 'TrafficDialPercentage.$': '$.split.targetWeight' },
      },
      Next: 'Step 1 (25%) RaiseDial',
    });
    const update = (which: string) => ({
      region: 'us-west-2',
      service: 'global-accelerator',
      action: 'updateEndpointGroup',
      parameters: { 'EndpointGroupArn.$': `$.shift.change.${which}.EndpointGroupArn`, 'TrafficDialPercentage.$': `$.shift.change.${which}.TrafficDialPercentage` },
    });
    expect(step('RaiseDial')).toMatchObject({ Parameters: update('First'), ResultPath: null, Next: 'Step 1 (25%) LowerDial' });
    expect(step('LowerDial')).toMatchObject({ Parameters: update('Second'), ResultPath: null, Next: 'Step 1 (25%) WaitForDeploy' });
    expect(step('WaitForDeploy')).toEqual({ Type: 'Wait', Seconds: 5, Next: 'Step 1 (25%) ReadSourceGroup' });
  });

  test('the read-back: both dials as asked and the accelerator DEPLOYED, else wait; 60 polls (5 min / 5 s), then NotInEffect', () => {
    expect(step('ReadSourceGroup')).toMatchObject({
      Parameters: { action: 'describeEndpointGroup', parameters: { EndpointGroupArn: SOURCE_GROUP } },
      ResultSelector: { 'Dial.$': '$.EndpointGroup.TrafficDialPercentage' },
      ResultPath: '$.shift.change.Source',
      Next: 'Step 1 (25%) ReadTargetGroup',
    });
    expect(step('ReadTargetGroup')).toMatchObject({ Parameters: { parameters: { EndpointGroupArn: TARGET_GROUP } }, ResultPath: '$.shift.change.Target' });
    expect(step('ReadAccelerator')).toMatchObject({
      Parameters: { action: 'describeAccelerator', parameters: { AcceleratorArn: ACCELERATOR } },
      ResultSelector: { 'Status.$': '$.Accelerator.Status' },
      ResultPath: '$.shift.change.Accelerator',
      Next: 'Step 1 (25%) CountPoll',
    });
    expect(step('CountPoll').Parameters['Polls.$']).toBe('States.MathAdd($.shift.change.Polls, 1)');
    expect(step('InEffect?')).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.shift.change.SourceDial', NumericEqualsPath: '$.split.sourceWeight' },
            { Variable: '$.shift.change.TargetDial', NumericEqualsPath: '$.split.targetWeight' },
            { Variable: '$.shift.change.Status', StringEquals: 'DEPLOYED' },
          ],
          Next: 'Step 1 (25%) Shifted',
        },
        { Variable: '$.shift.change.Polls', NumericGreaterThanEquals: 60, Next: 'Step 1 (25%) NotInEffect' },
      ],
      Default: 'Step 1 (25%) WaitForDeploy',
    });
    expect(step('NotInEffect')).toMatchObject({ Type: 'Fail', Error: 'AcceleratorCutover.NotInEffect' });
  });

  test('every call is the cross-Region function in us-west-2, retried on Global Accelerator throttling and internal errors', () => {
    const calls = Object.entries(states).filter(([, s]) => s.Type === 'Task' && s.Parameters?.service === 'global-accelerator');
    expect(calls).toHaveLength(5 * 6); // six calls per fragment: four steps and the rollback
    for (const [, state] of calls) {
      expect(fnArn(state.Resource)).toBe(true);
      expect(state.Parameters.region).toBe('us-west-2');
      expect(state.Retry).toContainEqual(RETRY);
    }
    expect(AcceleratorCutover.RETRYABLE_ERRORS).toEqual(RETRY.ErrorEquals);
  });

  test('the function\'s role may update and read the two endpoint groups and read the accelerator: nothing else, no *', () => {
    const policies = Object.entries(template.Resources as Record<string, any>).filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('CrossRegionAwsSdk'));
    expect(policies).toHaveLength(1);
    expect(policies[0][1].Properties.PolicyDocument.Statement).toEqual([
      { Action: 'globalaccelerator:DescribeEndpointGroup', Effect: 'Allow', Resource: [SOURCE_GROUP, TARGET_GROUP] },
      { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: [SOURCE_GROUP, TARGET_GROUP] },
      { Action: 'globalaccelerator:DescribeAccelerator', Effect: 'Allow', Resource: ACCELERATOR },
    ]);
  });

  test('the state machines may only invoke the function\'s unqualified ARN (not `<arn>:*`), and hold no Global Accelerator permission', () => {
    const statements = Object.entries(template.Resources as Record<string, any>)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && !id.startsWith('CrossRegionAwsSdk'))
      .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((s) => s.Action === 'lambda:InvokeFunction');
    expect(invoke.length).toBeGreaterThan(0);
    for (const s of invoke) {
      expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CrossRegionAwsSdk8a0c93f3dbef4b71ac137aaf2048ce7e[0-9A-F]{8}$/), 'Arn'] });
    }
    expect(JSON.stringify(statements)).not.toMatch(/globalaccelerator:/);
  });

  test('the function runs on the library\'s runtime, and the stack passes the three nag packs', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Timeout: 30, Runtime: LAMBDA_RUNTIME.name });
    expectNoNagFindings(stack);
  });

  test('the function logs to one log group of the template: encrypted with a key of its own, kept a year, retained', () => {
    const t = Template.fromStack(stack).toJSON();
    const [fn] = Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler');
    const group = t.Resources[fn.Properties.LoggingConfig.LogGroup.Ref];
    expect(group).toMatchObject({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    const key = t.Resources[group.Properties.KmsKeyId['Fn::GetAtt'][0]];
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties.KmsKeyId === group.Properties.KmsKeyId)).toHaveLength(1);
  });
});

describe('grantShift and shiftCommand', () => {
  test('grantShift gives the same three permissions', () => {
    // GIVEN
    const stack = stackIn();
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    shifterIn(stack).grantShift(role);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: [SOURCE_GROUP, TARGET_GROUP] },
          { Action: 'globalaccelerator:DescribeEndpointGroup', Effect: 'Allow', Resource: [SOURCE_GROUP, TARGET_GROUP] },
          { Action: 'globalaccelerator:DescribeAccelerator', Effect: 'Allow', Resource: ACCELERATOR },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^Operator') }],
    });
  });

  test('shiftCommand sets the dial that goes up first, in us-west-2, then waits for DEPLOYED and prints the dials', () => {
    const command = shifterIn(stackIn()).shiftCommand(25);
    const set = (arn: string, dial: number) =>
      `aws globalaccelerator --region us-west-2 update-endpoint-group --endpoint-group-arn ${arn} --traffic-dial-percentage ${dial} `;
    expect(command).toContain(`CURRENT=$(aws globalaccelerator --region us-west-2 describe-endpoint-group --endpoint-group-arn ${TARGET_GROUP} `);
    expect(command).toContain(`if [ "\${CURRENT%.*}" -le 25 ]; then ${set(TARGET_GROUP, 25)}`);
    expect(command.indexOf(set(TARGET_GROUP, 25))).toBeLessThan(command.indexOf(set(SOURCE_GROUP, 75)));
    expect(command).toMatch(new RegExp(`else ${set(SOURCE_GROUP, 75).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*&& ${set(TARGET_GROUP, 25).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*; fi`));
    expect(command).toContain(`describe-accelerator --accelerator-arn ${ACCELERATOR} --query Accelerator.Status`);
    expect(command).toContain('[ "$STATUS" = DEPLOYED ] && break');
    expect(() => shifterIn(stackIn()).shiftCommand(120)).toThrow(/`targetPercent` must be an integer percentage/);
  });
});

describe('shiftFragment options', () => {
  test.each([
    [{ pollInterval: Duration.millis(500) }, /`pollInterval` must be whole seconds, at least 1, got: 0.5/],
    [{ pollInterval: Duration.seconds(30), timeout: Duration.seconds(10) }, /`timeout` must be at least `pollInterval`, got: 10/],
    [{ splitPath: 'split' }, /`splitPath` must be a JSONPath of fields such as \$\.split, got: "split"/],
    [{ resultPath: '$.a[0]' }, /`resultPath` must be a JSONPath of fields/],
  ])('refuses %p', (options, message) => {
    const stack = stackIn();
    expect(() => shifterIn(stack).shiftFragment(stack, 'Shift', options)).toThrow(message);
  });
});

describe('two accelerator cutovers in one stack share its one calls\' log group', () => {
  const second = (stack: ReturnType<typeof stackIn>, props: object) =>
    new AcceleratorCutover(stack, 'Edge2', { acceleratorArn: ACCELERATOR, sourceEndpointGroupArn: SOURCE_GROUP, targetEndpointGroupArn: TARGET_GROUP, ...props });
  const build = (props: object) => {
    const stack = stackIn();
    const shifters = [shifterIn(stack), second(stack, props)];
    // two fragments each, as an orchestrator builds (the cutover's shift and its rollback's)
    shifters.forEach((s, i) => [0, 1].forEach((j) =>
      new sfn.StateMachine(stack, `Machine${i}${j}`, { definitionBody: sfn.DefinitionBody.fromChainable(s.shiftFragment(stack, `Shift${i}${j}`)) })));
    return { stack, template: Template.fromStack(stack) };
  };

  test('one log group and one key, where the one function logs', () => {
    const { template } = build({});
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => id.includes('CallLogs'))).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::KMS::Key')).filter((id) => id.includes('CallLogsKey'))).toHaveLength(1);
  });

  test('the same settings: no warning; other settings: a warning naming the group\'s owner', () => {
    expect(Annotations.fromStack(build({}).stack).findWarning('*', Match.stringLikeRegexp('Global Accelerator calls'))).toHaveLength(0);
    const warnings = Annotations.fromStack(build({ logRetention: logs.RetentionDays.TWO_YEARS }).stack).findWarning('/Target/Edge2', Match.stringLikeRegexp('Global Accelerator calls'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/log to the group of Target\/Edge .*logRetention and removalPolicy are not used/)]);
  });
});
