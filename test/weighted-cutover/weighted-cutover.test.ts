import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { bundleHandler } from './bundle';
import { CutoverEndpoint, CutoverSide, WeightedCutover, WeightedCutoverProps } from '../../src/weighted-cutover';
import { expectNoNagFindings, expectOnlyUnroutedAlarmFindings } from '../support/nag';

const ALB = { dnsName: 'payments-123.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' };
const LEGACY_IPS = ['52.94.76.10', '52.94.76.11'];
const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:target-5xx';

function stackIn(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Target', { env: { account: '111111111111', region } });
}

function synth(props: Partial<WeightedCutoverProps> = {}, stack = stackIn()): { cutover: WeightedCutover; template: Template } {
  const cutover = new WeightedCutover(stack, 'Cutover', {
    zoneName: 'pay.example.com',
    recordNames: ['api', 'checkout'],
    source: CutoverEndpoint.fromIpAddresses(LEGACY_IPS),
    target: CutoverEndpoint.fromLoadBalancerAttributes(ALB),
    ...props,
  });
  return { cutover, template: Template.fromStack(stack) };
}

interface CrRecord {
  Side: string;
  Record: Record<string, any>;
}

function crProperties(template: Template): { HostedZoneId: any; Records: CrRecord[]; InitialWeights: any } {
  const resources = Object.values(template.findResources('Custom::WeightedRecords'));
  expect(resources).toHaveLength(1);
  return resources[0].Properties;
}

function healthCheckIdOf(template: Template, side: string): unknown {
  const recs = crProperties(template).Records.filter((r) => r.Side === side);
  const ids = new Set(recs.map((r) => JSON.stringify(r.Record.HealthCheckId)));
  expect(ids.size).toBe(1); // every name of a side carries the same check
  return recs[0].Record.HealthCheckId;
}

beforeAll(() => {
  bundleHandler();
});

describe('WeightedCutover records (custom resource)', () => {
  // GIVEN a legacy source reached by IP and a target ALB in another region
  const { template } = synth();

  test('creates a public zone and one custom resource holding both sides of every name, source 100 / target 0', () => {
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResourceProperties('AWS::Route53::HostedZone', { Name: 'pay.example.com.' });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const props = crProperties(template);
    expect(props.HostedZoneId).toEqual({ Ref: expect.stringMatching(/^CutoverZone/) });
    expect(props.InitialWeights).toEqual({ Source: 100, Target: 0 });
    expect(props.Records.map((r) => [r.Side, r.Record.Name, r.Record.Type, r.Record.SetIdentifier])).toEqual([
      ['source', 'api.pay.example.com', 'A', 'source'],
      ['target', 'api.pay.example.com', 'A', 'target'],
      ['source', 'checkout.pay.example.com', 'A', 'source'],
      ['target', 'checkout.pay.example.com', 'A', 'target'],
    ]);
    // No weight in the template: weights are the handler's (initial) and then the orchestrator's.
    for (const r of props.Records) expect(r.Record.Weight).toBeUndefined();
  });

  test('the legacy side is a non-alias A record with a 60 s TTL and the IPs', () => {
    const source = crProperties(template).Records.find((r) => r.Side === 'source')!.Record;
    expect(source.TTL).toBe(60);
    expect(source.ResourceRecords).toEqual([{ Value: '52.94.76.10' }, { Value: '52.94.76.11' }]);
    expect(source.AliasTarget).toBeUndefined();
  });

  test('the ALB side is an alias with EvaluateTargetHealth and no TTL', () => {
    const target = crProperties(template).Records.find((r) => r.Side === 'target')!.Record;
    expect(target.AliasTarget).toEqual({ HostedZoneId: ALB.canonicalHostedZoneId, DNSName: ALB.dnsName, EvaluateTargetHealth: true });
    expect(target.TTL).toBeUndefined();
    expect(target.ResourceRecords).toBeUndefined();
  });

  test('the function is Node.js 24 (the library\'s one runtime) with index.handler, its own log group, invoked directly as the service token', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('CutoverRecordsFunctionLogs') } },
    });
    template.hasResourceProperties('Custom::WeightedRecords', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('CutoverRecordsFunction'), 'Arn'] },
      ServiceTimeout: '600',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CutoverLogKey'), 'Arn'] },
    });
  });

  test('the function role has one customer-managed policy: its log group, these records, ListResourceRecordSets, GetChange', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0].Properties.ManagedPolicyArns).toBeUndefined();
    const zoneArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: Match.stringLikeRegexp('CutoverZone') }]] };
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('CutoverRecordsFunctionRole') }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'WriteOwnLogs',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('CutoverRecordsFunctionLogs'), 'Arn'] },
            Effect: 'Allow',
          },
          {
            Sid: 'ChangeTheseRecordsOnly',
            Action: 'route53:ChangeResourceRecordSets',
            Resource: zoneArn,
            Effect: 'Allow',
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.pay.example.com', 'checkout.pay.example.com'],
                'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
                'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
              },
            },
          },
          {
            Sid: 'DeleteRecordsOfRemovedNames',
            Action: 'route53:ChangeResourceRecordSets',
            Resource: zoneArn,
            Effect: 'Allow',
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
                'route53:ChangeResourceRecordSetsActions': ['DELETE'],
              },
            },
          },
          { Sid: 'ReadLiveWeights', Action: 'route53:ListResourceRecordSets', Resource: zoneArn, Effect: 'Allow' },
          {
            Sid: 'WaitForInsync',
            Action: 'route53:GetChange',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::change/*']] },
            Effect: 'Allow',
          },
        ],
      },
    });
  });

  test('the function waits for its policy, so the first invocation is authorized', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/CutoverRecordsFunctionPolicy/)]));
  });

  test('outputs the zone id and the record names', () => {
    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('CutoverZone') } });
    template.hasOutput('*', { Value: 'api.pay.example.com,checkout.pay.example.com' });
  });
});

describe('WeightedCutover health checks', () => {
  test('by default, an HTTPS check of the ALB and one per legacy IP, the IP checks combined, attached to the records', () => {
    // GIVEN / WHEN
    const { template, cutover } = synth();
    // THEN
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: ALB.dnsName,
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
      },
    });
    for (const ip of LEGACY_IPS) {
      template.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { Type: 'HTTPS', IPAddress: ip, FullyQualifiedDomainName: 'api.pay.example.com', Port: 443 },
      });
    }
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 2, ChildHealthChecks: Match.arrayWith([{ 'Fn::GetAtt': [Match.anyValue(), 'HealthCheckId'] }]) },
    });
    template.resourceCountIs('AWS::Route53::HealthCheck', 4);
    expect(cutover.healthChecks).toHaveLength(4);
    expect(healthCheckIdOf(template, 'target')).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CutoverTargetHttps/), 'HealthCheckId'] });
    expect(JSON.stringify(healthCheckIdOf(template, 'source'))).toMatch(/CutoverSourceHealth.*HealthCheckId/);
  });

  test('options: interval 10 s, threshold 2, another path and port', () => {
    const { template } = synth({ healthCheck: { interval: Duration.seconds(10), failureThreshold: 2, path: '/ready', port: 8443 } });
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: ALB.dnsName, Port: 8443, ResourcePath: '/ready', RequestInterval: 10, FailureThreshold: 2 },
    });
  });

  test('a target alarm becomes an alarm-based check, combined with the HTTPS check (healthy only when both are)', () => {
    // GIVEN
    const stack = stackIn();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Target5xx', ALARM_ARN);
    // WHEN
    const { template } = synth({ targetAlarm: alarm }, stack);
    // THEN
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: 'target-5xx', Region: 'eu-west-1' },
        InsufficientDataHealthStatus: 'LastKnownStatus',
      },
    });
    const calculated = template.findResources('AWS::Route53::HealthCheck', { Properties: { HealthCheckConfig: { Type: 'CALCULATED' } } });
    const targetCalc = Object.entries(calculated).find(([id]) => id.startsWith('CutoverTargetHealth'))!;
    expect(targetCalc[1].Properties.HealthCheckConfig.HealthThreshold).toBe(2);
    expect(targetCalc[1].Properties.HealthCheckConfig.ChildHealthChecks).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^CutoverTargetHttps/), 'HealthCheckId'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^CutoverTargetAlarm/), 'HealthCheckId'] },
    ]);
    expect(healthCheckIdOf(template, 'target')).toEqual({ 'Fn::GetAtt': [targetCalc[0], 'HealthCheckId'] });
  });

  test('HTTPS checks disabled: no HTTPS check; a side with an alarm carries only the alarm check, the other side none', () => {
    const stack = stackIn();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Target5xx', ALARM_ARN);
    const { template, cutover } = synth({ healthCheck: { enabled: false }, targetAlarm: alarm }, stack);
    template.resourceCountIs('AWS::Route53::HealthCheck', 1);
    expect(healthCheckIdOf(template, 'target')).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CutoverTargetAlarm/), 'HealthCheckId'] });
    expect(healthCheckIdOf(template, 'source')).toBeUndefined();
    expect(() => cutover.metricHealthCheckStatus(CutoverSide.SOURCE)).toThrow(/^WeightedCutover\.metricHealthCheckStatus failed at .+:\n- `side` must be a side with a health check \(enable `healthCheck` or give `sourceAlarm`\): the source side has none, got: "source"$/);
  });

  test('health-check status metrics are Route 53\'s, in us-east-1', () => {
    const { cutover } = synth();
    const metric = cutover.metricHealthCheckStatus(CutoverSide.TARGET);
    expect(metric.namespace).toBe('AWS/Route53');
    expect(metric.metricName).toBe('HealthCheckStatus');
    expect(metric.region).toBe('us-east-1');
    expect(metric.statistic).toBe('Minimum');
    expect(Object.keys(metric.dimensions!)).toEqual(['HealthCheckId']);
  });

  test('alarms on both sides\' health only in a us-east-1 stack (where the metrics are)', () => {
    const elsewhere = synth();
    elsewhere.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(elsewhere.cutover.targetHealthAlarm).toBeUndefined();

    const { template, cutover } = synth({}, stackIn('us-east-1'));
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'HealthCheckId', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('CutoverTargetHttps'), 'HealthCheckId'] } }],
    });
    expect(cutover.sourceHealthAlarm).toBeDefined();
  });
});

describe('WeightedCutover endpoints and zone', () => {
  test('an existing zone, FQDN and relative names, custom set identifiers and a 25 % initial split', () => {
    // GIVEN
    const stack = stackIn();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
    // WHEN
    const { template, cutover } = synth(
      {
        zoneName: undefined,
        hostedZone: zone,
        recordNames: ['API.example.com.', 'checkout.example.com', 'eu.pay'],
        sourceSetIdentifier: 'dc1',
        targetSetIdentifier: 'eu-west-1',
        initialTargetPercent: 25,
      },
      stack,
    );
    // THEN
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(cutover.recordNames).toEqual(['api.example.com', 'checkout.example.com', 'eu.pay.example.com']);
    const props = crProperties(template);
    expect(props.HostedZoneId).toBe('Z0123456789ABC');
    expect(props.InitialWeights).toEqual({ Source: 75, Target: 25 });
    expect(new Set(props.Records.map((r) => `${r.Side}=${r.Record.SetIdentifier}`))).toEqual(new Set(['source=dc1', 'target=eu-west-1']));
  });

  test('legacy CNAMEs with a 30 s TTL on both sides', () => {
    const { template } = synth({
      source: CutoverEndpoint.fromDnsName('payments.dc1.example.net', Duration.seconds(30)),
      target: CutoverEndpoint.fromDnsName('payments.dc2.example.net'),
    });
    const recs = crProperties(template).Records;
    expect(recs[0].Record).toMatchObject({ Type: 'CNAME', TTL: 30, ResourceRecords: [{ Value: 'payments.dc1.example.net' }] });
    expect(recs[1].Record).toMatchObject({ Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'payments.dc2.example.net' }] });
  });

  test('IPv6 legacy addresses make AAAA records', () => {
    const { template } = synth({
      source: CutoverEndpoint.fromIpAddresses(['2600:1f18::10']),
      target: CutoverEndpoint.fromIpAddresses(['2600:1f18::20']),
    });
    expect(crProperties(template).Records.map((r) => r.Record.Type)).toEqual(['AAAA', 'AAAA', 'AAAA', 'AAAA']);
  });

  test('an ALB of this stack: alias to its DNS name and canonical zone (tokens pass validation)', () => {
    const stack = stackIn();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    const { template } = synth({ target: CutoverEndpoint.fromLoadBalancer(alb) }, stack);
    const target = crProperties(template).Records.find((r) => r.Side === 'target')!.Record;
    expect(target.AliasTarget).toEqual({
      HostedZoneId: { 'Fn::GetAtt': [expect.stringMatching(/^Alb/), 'CanonicalHostedZoneID'] },
      DNSName: { 'Fn::GetAtt': [expect.stringMatching(/^Alb/), 'DNSName'] },
      EvaluateTargetHealth: true,
    });
  });

  test('createOutputs: false adds no outputs', () => {
    const { template } = synth({ createOutputs: false });
    expect(Object.keys(template.toJSON().Outputs ?? {})).toEqual([]);
  });
});

describe('WeightedCutover validation', () => {
  const alias = CutoverEndpoint.fromLoadBalancerAttributes(ALB);
  test.each<[string, Partial<WeightedCutoverProps>, RegExp]>([
    ['neither zone', { zoneName: undefined }, /`hostedZone` and `zoneName` are exclusive and one is required.*got: "neither"/],
    ['bad zone name', { zoneName: 'localhost' }, /`zoneName` must be a domain name such as example.com, got: "localhost"/],
    ['no record names', { recordNames: [] }, /`recordNames` must list at least one record name.*got: \[\]/],
    ['name outside the zone', { recordNames: ['api', 'api.other.com.'] }, /`recordNames\[1\]` must be inside the hosted zone pay.example.com, got: "api.other.com."/],
    ['duplicate name', { recordNames: ['api', 'API.pay.example.com'] }, /`recordNames\[1\]` must not repeat a record name \(api.pay.example.com is listed twice\), got: "API.pay.example.com"/],
    ['wildcard', { recordNames: ['*.api'] }, /`recordNames\[0\]` must be a DNS name of letters.*got: "\*.api"/],
    ['same set identifiers', { sourceSetIdentifier: 'blue', targetSetIdentifier: 'blue' }, /`targetSetIdentifier` must differ from `sourceSetIdentifier` \(blue\).*got: "blue"/],
    ['percent above 100', { initialTargetPercent: 101 }, /`initialTargetPercent` must be an integer percentage between 0 and 100.*got: 101/],
    ['fractional percent', { initialTargetPercent: 12.5 }, /`initialTargetPercent` must be an integer percentage.*got: 12.5/],
    ['negative percent', { initialTargetPercent: -1 }, /`initialTargetPercent` must be an integer percentage.*got: -1/],
    ['token percent', { initialTargetPercent: Lazy.number({ produce: () => 5 }) }, /`initialTargetPercent` must be known at synth time.*got: <token>/],
    [
      'TTL on an alias',
      { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...ALB, ttl: Duration.minutes(5) }) },
      /`target.ttl` must not be set for a load-balancer alias.*got: 300/,
    ],
    ['legacy TTL above 60 s', { source: CutoverEndpoint.fromIpAddresses(LEGACY_IPS, Duration.minutes(5)) }, /`source.ttl` must be whole seconds between 1 and 60.*got: "300 seconds"/],
    ['no IPs', { source: CutoverEndpoint.fromIpAddresses([]) }, /`source.ipAddresses` must list at least one IP address, got: \[\]/],
    ['mixed IP families', { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '2600:1f18::1']) }, /`source.ipAddresses` must be IPv4 or IPv6 addresses, all of one family, got: \["52.94.76.10","2600:1f18::1"\]/],
    ['not an IP', { source: CutoverEndpoint.fromIpAddresses(['10.0.0.300']) }, /`source.ipAddresses` must be IPv4 or IPv6.*got: \["10.0.0.300"\]/],
    ['repeated IP', { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.10']) }, /`source.ipAddresses` must not repeat an address/],
    ['bad ALB zone id', { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...ALB, canonicalHostedZoneId: 'elb-zone' }) }, /`target.canonicalHostedZoneId` must be a hosted zone id.*got: "elb-zone"/],
    ['CNAME with an A record', { source: CutoverEndpoint.fromDnsName('payments.dc1.example.net'), target: alias }, /`target` must give records of the same type as `source` \(CNAME\).*got: "A"/],
    [
      'CNAME at the apex',
      { recordNames: ['pay.example.com.'], source: CutoverEndpoint.fromDnsName('a.example.net'), target: CutoverEndpoint.fromDnsName('b.example.net') },
      /`recordNames\[0\]` must not be the zone apex when a side is a CNAME.*got: "pay.example.com."/,
    ],
    ['interval 20 s', { healthCheck: { interval: Duration.seconds(20) } }, /`healthCheck.interval` must be 10 or 30 seconds.*got: "20 seconds"/],
    ['threshold 0', { healthCheck: { failureThreshold: 0 } }, /`healthCheck.failureThreshold` must be an integer between 1 and 10, got: 0/],
    ['threshold 11', { healthCheck: { failureThreshold: 11 } }, /`healthCheck.failureThreshold` must be an integer between 1 and 10, got: 11/],
    ['relative path', { healthCheck: { path: 'health' } }, /`healthCheck.path` must start with \/.*got: "health"/],
    ['port 0', { healthCheck: { port: 0 } }, /`healthCheck.port` must be a port between 1 and 65535, got: 0/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('both a zone and a zone name', () => {
    const stack = stackIn();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'pay.example.com' });
    expect(() => synth({ hostedZone: zone }, stack)).toThrow(/`hostedZone` and `zoneName` are exclusive.*got: "both"/);
  });

  test('a zone imported by id only (its name is unknown)', () => {
    const stack = stackIn();
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABC');
    expect(() => synth({ zoneName: undefined, hostedZone: zone }, stack)).toThrow(/`hostedZone` must have a known zone name.*got: "Z0123456789ABC"/);
  });

  test('every failure is reported at once, with the construct path', () => {
    expect(() => synth({ recordNames: ['*'], initialTargetPercent: 150, healthCheck: { interval: Duration.seconds(5) } })).toThrow(
      /^WeightedCutover initialization failed at Target\/Cutover:\n- `recordNames\[0\]`.*\n- `initialTargetPercent`.*\n- `healthCheck.interval`/,
    );
  });
});

describe('WeightedCutover cdk-nag', () => {
  test('no findings with every option on (legacy IPs with TTL, alias, alarms, custom health checks, existing zone)', () => {
    // GIVEN
    const stack = stackIn();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'pay.example.com' });
    // WHEN
    synth(
      {
        zoneName: undefined,
        hostedZone: zone,
        recordNames: ['api', 'checkout'],
        source: CutoverEndpoint.fromIpAddresses(LEGACY_IPS, Duration.seconds(30)),
        sourceAlarm: cloudwatch.Alarm.fromAlarmArn(stack, 'Source5xx', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:dc-5xx'),
        targetAlarm: cloudwatch.Alarm.fromAlarmArn(stack, 'Target5xx', ALARM_ARN),
        healthCheck: { interval: Duration.seconds(10), failureThreshold: 2, path: '/ready' },
        initialTargetPercent: 10,
        sourceSetIdentifier: 'dc1',
        targetSetIdentifier: 'eu',
      },
      stack,
    );
    // THEN
    expectNoNagFindings(stack);
  });

  test('no findings in us-east-1 (health alarms created), a created zone and the defaults', () => {
    const stack = stackIn('us-east-1');
    synth({}, stack);
    // used alone, without alarmActions: only its alarms are findings (nothing pages anyone; PaymentMigration routes them)
    expect(expectOnlyUnroutedAlarmFindings(stack)).toEqual(['Target/Cutover/SourceUnhealthy', 'Target/Cutover/TargetUnhealthy']);
  });
});
