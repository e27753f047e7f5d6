import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DC_APP_SECRET_ARN, onPremises, SECRET_ARN } from './fixtures';
import { CutoverEndpoint, DatabaseEngine, PaymentProcessorImage } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';
import { expectNoNagFindings } from '../support/nag';

const REGION = 'us-east-1';

/** A datacenter side over the VPN with `cidrs`, one legacy server, and its database at `host`. */
function legacySource(stack: Stack, cidrs: string[], host: string) {
  return {
    connectivity: { cidrs, vpnGatewayId: 'vgw-0123456789abcdef0' },
    legacyEndpoint: CutoverEndpoint.fromIpAddresses(['52.94.76.10']),
    database: { host, databaseName: 'payments', secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SECRET_ARN) },
  };
}

describe('PaymentMigration, on-premises side (seed S2)', () => {
  const { stack, migration, template } = onPremises();

  test('composes network + VPN, Aurora 1 writer + 2 readers, DMS with its reverse task, fleet, records, orchestrator', () => {
    const built = migration.datacenterToAws();
    expect(built.database.clusterEndpoint).toBeDefined();
    expect(built.replication.reverseReplicationTaskArn).toBeDefined();
    expect(built.writerParameter.parameterName).toBe('/payments/database/writer');
    expect(() => migration.targetRegion()).toThrow(/`side` must be built by MigrationSide\.targetRegion for `targetRegion\(\)`.*got: "datacenter-to-aws"$/);
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.resourceCountIs('AWS::RDS::DBInstance', 3);
    template.resourceCountIs('AWS::DMS::ReplicationTask', 2);
    template.hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', { VpnGatewayId: 'vgw-0123456789abcdef0' });
    template.resourceCountIs('AWS::EC2::VPNGateway', 0); // referenced, never created
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '3', MaxSize: '9' });
  });

  test('the weighted records start at legacy 100 / AWS 0, the legacy side being the datacenter IPs', () => {
    const records = JSON.stringify(template.findResources('Custom::WeightedRecords'));
    expect(records).toContain('52.94.76.10');
  });

  test('the writer parameter starts at SOURCE (created once, never rewritten by a deploy), accepts only the three values; the fleet reads it', () => {
    const writer = Object.values(template.findResources('Custom::DatabaseWriterParameter'));
    expect(writer).toHaveLength(1);
    const create = JSON.parse(JSON.stringify(writer[0].Properties.Create));
    expect(create).toContain('"action":"putParameter"');
    const call = JSON.parse(create);
    expect(call.parameters).toMatchObject({ Name: '/payments/database/writer', Value: 'SOURCE', Overwrite: false, AllowedPattern: '^(SOURCE|FENCED|TARGET)$' });
    expect(writer[0].Properties.Update).toBeUndefined(); // a deploy never puts SOURCE back over a moved writer
    template.resourceCountIs('AWS::SSM::Parameter', 1); // the orchestrator's control parameter only
    const launch = JSON.stringify(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(launch).toContain('DB_WRITER_PARAMETER=/payments/database/writer');
    expect(launch).toContain('DB_SOURCE_HOST');
    expect(launch).not.toContain('DB_READER_ENDPOINT'); // reads follow the writer: no stale Aurora reads while on premises writes
  });

  test('the first deploy can create the writer parameter: no template parameter resolves it beforehand (W2001), and the provider runs in the VPC', () => {
    // GIVEN the on-premises side  WHEN synthesized  THEN the only SSM-typed template parameters name AWS's public ones
    const ssmTyped = Object.values(template.toJSON().Parameters ?? {}).filter((p: any) => String(p.Type).startsWith('AWS::SSM::Parameter::Value'));
    expect(ssmTyped.map((p: any) => p.Default).sort()).toEqual([expect.stringMatching(/^\/aws\/service\//), '/cdk-bootstrap/hnb659fds/version']);
    const provider = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'));
    expect(provider?.[1].Properties.VpcConfig).toEqual({
      SubnetIds: expect.arrayContaining([expect.objectContaining({ Ref: expect.stringMatching(/^MigrationNetworkVpcPrivate/) })]),
      SecurityGroupIds: [expect.anything()],
    });
  });

  test('the fleet may read the on-premises application secret through a managed policy (exactly that secret)', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: DC_APP_SECRET_ARN })]) },
    });
  });

  test('the Aurora cluster keeps a change stream for the reverse task (binlog ROW)', () => {
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: Match.objectLike({ binlog_format: 'ROW' }) });
  });

  test('the orchestrator is gated on DMS, the fleet and the VPN tunnels, and ends with the writer move', () => {
    const alarms = migration.datacenterToAws().orchestrator.gatingAlarms.map((a) => stack.resolve(a.alarmName));
    expect(JSON.stringify(alarms)).toMatch(/VpnTunnelDown/);
    expect(JSON.stringify(alarms)).toMatch(/CdcLatencySource/);
    // the VPN matters only while the fleet writes on premises: polled until the move, never on the event path
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find((r: any) => r.Properties.EventPattern.source?.includes('aws.cloudwatch')) as any;
    expect(JSON.stringify(rule.Properties.EventPattern.resources)).not.toMatch(/VpnTunnelDown|CdcLatency/);
    expect(JSON.stringify(rule.Properties.EventPattern.resources)).toMatch(/HealthyHosts/);
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('Approval: before switchover'); // approval before the writer moves, by default here
    expect(definition).toContain('Writer: fence');
    expect(definition).toContain('Pre-check: DMS task');
  });

  test('S2 outputs: ALB DNS name, cluster endpoint, DMS task ARN and its status command; runbook sections', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['LoadBalancerDnsName', 'ClusterEndpoint', 'ReplicationTaskArn', 'TaskStatusCommand', 'RunbookWriter', 'RunbookReplication', 'WriterParameterName']) {
      expect(outputs.some((o) => o.includes(name))).toBe(true);
    }
  });

  test('without the database phase the runbook never moves the writer: no approval, no move-back, no reload', () => {
    const section = (t: typeof template, name: string) =>
      JSON.stringify(Object.entries(t.findOutputs('*')).find(([id]) => id.includes(name))![1].Value);
    const { template: off } = onPremises(() => ({ cutover: { switchover: false } }));
    expect(section(off, 'RunbookCutover')).toMatch(/no writer move: side.cutover.switchover is false/);
    expect(section(off, 'RunbookCutover')).not.toMatch(/approval|fence/);
    expect(section(off, 'RunbookWriter')).toMatch(/never moves the writer \(side.cutover.switchover is false\): it stays SOURCE/);
    expect(section(off, 'RunbookWriter')).not.toMatch(/Writer back by hand|Reverse task/);
    expect(section(off, 'RunbookReplication')).not.toMatch(/After a rollback|reload-target/);
    expect(section(off, 'RunbookRecovery')).toMatch(/rolls back: traffic \(the database never moved\)/);
    // the default cutover moves the writer, and its runbook says how
    expect(section(template, 'RunbookCutover')).toMatch(/then the single-writer move.*asks for approval.*moves back first/);
    expect(section(template, 'RunbookWriter')).toMatch(/Writer back by hand/);
    expect(section(template, 'RunbookReplication')).toMatch(/reload-target/);
  });

  test('the dashboard shows the DMS replication and where the writer is', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('CDCLatencySource');
    expect(body).toContain('CDCIncomingChanges');
    expect(body).toContain('task log errors'); // the log metric filter's alarm
    expect(body).toContain('ValidationFailedOverallCount');
    expect(body).toMatch(/reverse, Aurora to on-premises/); // the way back, once it runs
    // DMS task state changes reach the migration's topic
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'source': ['aws.dms'], 'detail-type': ['DMS Replication Task State Change'] }) });
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: Match.stringLikeRegexp('E:') });
    // the topic is KMS-encrypted: its key lets EventBridge publish
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowEventBridgeToPublishToTheEncryptedTopic', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    expect(body).toContain('ssm get-parameter --name /payments/database/writer');
  });

  test('zero unacknowledged findings in the three nag packs', () => {
    expectNoNagFindings(stack);
  });

  test('the synthesized cutover rehearses: happy path with the writer moved once', async () => {
    const r = await rehearse({ template: template.toJSON() as any, scenario: { name: 'S2', dms: { initialStatus: 'running' } } });
    expect(r.parameterErrors).toEqual([]);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.writerChanges.map((c) => c.value)).toEqual(['FENCED', 'TARGET']);
  });
});

describe('PaymentMigration, on-premises side: bad input', () => {
  test('a target port of 22 is refused under the prop the user typed', () => {
    expect(() => onPremises((stack) => ({
      fleet: {
        image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'),
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert2', `arn:aws:acm:${REGION}:111111111111:certificate/11111111-2222-3333-4444-555555555555`),
        targetPort: 22,
      },
    }))).toThrow(/AwsProduction\/Migration\/Fleet[\s\S]*`side\.fleet\.targetPort` must be an integer between 1 and 65535, not 22 \(no SSH on the fleet\), got: 22/);
  });

  test('bakes of hours at 100 % before the writer moves, and after: a 2-hour bakeTime and a 4-hour postMoveBake synthesize', () => {
    const { template: t } = onPremises(() => ({ cutover: { bakeTime: Duration.hours(2) }, writerMove: { postMoveBake: Duration.hours(4) } }));
    const cutover = JSON.stringify(Object.values(t.findResources('AWS::StepFunctions::StateMachine'))
      .find((m: any) => JSON.stringify(m.Properties.DefinitionString).includes('Payment migration cutover')));
    // each bake: a child execution given its seconds (7,200 after each step, 14,400 on the new writer)
    expect(cutover.match(/\\"remaining\\":7200/g)).toHaveLength(4);
    expect(cutover.match(/\\"remaining\\":14400/g)).toHaveLength(1);
  });

  test('a drain read every second for an hour exceeds the execution history: refused naming `side.writerMove.drainTimeout`, not a bake', () => {
    const build = () => onPremises(() => ({ writerMove: { drainTimeout: Duration.hours(1), postMoveBake: Duration.hours(4) } }));
    expect(build).toThrow(/`side\.writerMove\.drainTimeout` must fit one execution's history: the worst case needs ~\d+ events, ~\d+ of them for it[^\n]*got: "1 hour"/);
    expect(build).not.toThrow(/bakeTime|postMoveBake/);
  });

  test('a database host outside the datacenter CIDRs', () => {
    expect(() => onPremises((stack) => ({ source: legacySource(stack, ['192.168.0.0/16'], '172.16.0.5') }))).toThrow(/`side.source.database.host` must be inside the datacenter CIDRs 192.168.0.0\/16 \(only they are routed over the VPN\), got: "172.16.0.5"/);
  });

  test('an on-premises CIDR overlapping the VPC is refused (by the network)', () => {
    expect(() => onPremises((stack) => ({ source: legacySource(stack, ['10.20.0.0/24'], '10.20.0.5') }))).toThrow(/overlap/);
  });

  test('PostgreSQL source: Aurora PostgreSQL target, logical replication for the reverse task', () => {
    const { template } = onPremises((stack) => ({
      source: {
        connectivity: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
        legacyEndpoint: CutoverEndpoint.fromDnsName('legacy.pay.example.com'),
        database: {
          host: '192.168.10.20',
          databaseName: 'payments',
          engine: DatabaseEngine.POSTGRESQL,
          secret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SECRET_ARN),
          certificateArn: `arn:aws:dms:${REGION}:111111111111:cert:onprem-ca`,
        },
      },
    }));
    template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: Match.objectLike({ 'rds.logical_replication': '1' }) });
    template.hasResourceProperties('AWS::DMS::Endpoint', { EndpointType: 'target', EngineName: 'aurora-postgresql' });
    // a legacy DNS name is a CNAME: the AWS side joins the weighted set as a CNAME to the load balancer
    const records = JSON.stringify(template.findResources('Custom::WeightedRecords'));
    expect(records).toContain('legacy.pay.example.com');
    expect(records).toMatch(/"Type":"CNAME"/);
  });
});
