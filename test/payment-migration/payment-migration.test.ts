import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { onPremises, SOURCE, stackLogicalId, target } from './fixtures';
import { CutoverSteps, DatacenterToAwsSide, MigrationSide, MigrationSideKind, PaymentMigration, SourceRegionSide, TargetRegionOptions, TargetRegionSide } from '../../src';

describe('PaymentMigration, target side', () => {
  const { migration, template } = target();

  test('composes the five constructs, read through the accessor of its kind', () => {
    const built = migration.targetRegion();
    expect(migration.kind).toBe(MigrationSideKind.TARGET_REGION);
    expect(template.toJSON().Resources[stackLogicalId(built.network.vpc)]).toBeDefined();
    expect(built.database.clusterIdentifier).toBeDefined();
    expect(built.dns.recordNames).toEqual(['api.pay.example.com', 'checkout.pay.example.com']);
    expect(built.orchestrator.stateMachine).toBeDefined();
    expect(built.alarmTopic).toBe(built.orchestrator.notificationTopic);
    expect(built.globalClusterIdentifier).toBe('payments-global');
    expect(() => migration.sourceRegion()).toThrow(/^PaymentMigration\.sourceRegion failed at Target\/Migration:\n- `side` must be built by MigrationSide\.sourceRegion for `sourceRegion\(\)`, which reads what that factory builds: use the accessor of this side's kind, got: "target-region"$/);
    expect(() => migration.datacenterToAws()).toThrow(/`side` must be built by MigrationSide\.datacenterToAws for `datacenterToAws\(\)`.*got: "target-region"$/);
    template.resourceCountIs('AWS::RDS::DBCluster', 1);
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 4); // cutover, its bakes, alarm rollback, recovery
    template.resourceCountIs('Custom::WeightedRecords', 1);
  });

  test('seed S1 defaults: weights 100/0, 4 steps of 5 minutes, ASG 2–6, lag alarm 1000 ms', () => {
    template.hasResourceProperties('Custom::WeightedRecords', Match.objectLike({ InitialWeights: { Source: 100, Target: 0 } }));
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '2', MaxSize: '6' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag', Threshold: 1000 });
  });

  test('the routes on both sides of the peering: this VPC\'s tables, and the source\'s through the in-stack custom resource', () => {
    template.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('Custom::PeerRoutes', 1);
  });

  test('stack outputs cover seed S1\'s expected outputs 1–9', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const prefix of [
      'MigrationNetworkVpcId', 'MigrationNetworkVpcCidr', 'MigrationNetworkPublicSubnetIds', 'MigrationNetworkPrivateSubnetIds',
      'MigrationDatabaseClusterEndpoint', 'MigrationDatabaseReaderEndpoint', 'MigrationFleetLoadBalancerDnsName', 'MigrationFleetAutoScalingGroupName',
      'MigrationDnsHostedZoneId', 'MigrationOrchestratorStateMachineArn', 'MigrationRunbookCutover', 'MigrationNetworkPeeringConnectionId',
    ]) {
      expect(outputs.some((o) => o.startsWith(prefix))).toBe(true);
    }
  });

  test('the runbook names the real resources and marks the failover as the disaster path', () => {
    const outputs = template.findOutputs('*');
    const text = (prefix: string) => JSON.stringify(Object.entries(outputs).find(([k]) => k.startsWith(prefix))![1].Value);
    expect(text('MigrationRunbookCutover')).toMatch(/aws stepfunctions start-execution --region eu-west-1 --state-machine-arn/);
    expect(text('MigrationRunbookCutover')).toMatch(/--value ABORT/);
    expect(text('MigrationRunbookCutover')).toMatch(/aws cloudwatch describe-alarms --region eu-west-1 --alarm-names/);
    expect(text('MigrationRunbookManualRollback')).toMatch(/change-resource-record-sets/);
    expect(text('MigrationRunbookDatabase')).toMatch(/switchover-global-cluster .*--global-cluster-identifier payments-global/);
    expect(text('MigrationRunbookDatabase')).toMatch(/DISASTER PATH ONLY.*run in eu-west-1, the surviving region.*failover-global-cluster --region eu-west-1 .*--allow-data-loss/s);
    for (const [, o] of Object.entries(outputs)) expect(JSON.stringify(o.Value).length).toBeLessThan(4096);
  });

  test('the dashboard shows intended vs observed split, replication lag, both sides\' health and the gating alarms', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toMatch(/intended: target weight/);
    expect(body).toMatch(/PaymentMigration.*TargetWeight/);
    expect(body).toMatch(/100 \* t \/ \(s \+ t\)/);
    expect(body).toMatch(/AuroraGlobalDBReplicationLag/);
    expect(body).toMatch(/app\/payments\/0123456789abcdef/);
    expect(body).toMatch(/\\"region\\":\\"us-east-1\\"/);
    expect(body).toMatch(/alarm/);
  });

  test('cutover options pass through', () => {
    const { template: t } = target({
      cutover: { steps: CutoverSteps.canary(10), bakeTime: Duration.minutes(2), allowBakeShorterThanAlarms: true, switchover: false },
    });
    const sm = Object.values(t.findResources('AWS::StepFunctions::StateMachine')).find((r: any) => JSON.stringify(r.Properties.DefinitionString).includes('Payment migration cutover'))!;
    const definition = JSON.stringify(sm.Properties.DefinitionString);
    expect(definition).toMatch(/Step 1 \(10%\)/);
    expect(definition).not.toMatch(/Switchover: start/);
    // the runbook states these steps, and that the cutover never switches the database over
    const runbook = (tpl: Template, section: string) => JSON.stringify(Object.entries(tpl.findOutputs('*')).find(([id]) => id.includes(section))![1].Value);
    expect(runbook(t, 'RunbookCutover')).toMatch(/Start the cutover \(steps of 10\/100 %, a bake after each, no database switchover: side.cutover.switchover is false\)/);
    expect(runbook(t, 'RunbookDatabase')).toMatch(/Planned switchover \(RPO 0; by hand only \(side.cutover.switchover is false\), once the cutover is COMPLETE: no rollback switches it back; from this region\)/);
    expect(runbook(t, 'RunbookCutover')).toMatch(/5\. Rollback is automatic .*: traffic goes back to source 100 \/ target 0\. It never touches the database\./);
    expect(runbook(t, 'RunbookRecovery')).toMatch(/rolls back: traffic \(the database never moved\)/);
    for (const section of ['RunbookCutover', 'RunbookDatabase', 'RunbookRecovery']) expect(runbook(t, section)).not.toMatch(/SwitchBackFailed|switches back|writer first/);
    expect(runbook(template, 'RunbookCutover')).toMatch(/Start the cutover \(steps of 25\/50\/75\/100 %, a bake after each, then the database switchover\)/);
    expect(runbook(template, 'RunbookDatabase')).toMatch(/the cutover does this itself after its last step has baked.*After SwitchBackFailed/);
    expect(runbook(template, 'RunbookCutover')).toMatch(/the database switches back first if it switched/);
    expect(runbook(template, 'RunbookRecovery')).toMatch(/rolls back: the database writer first, then traffic/);
  });
});

describe('PaymentMigration, source side', () => {
  test('the existing cluster becomes the primary of `<name>-global`, nothing else', () => {
    const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const m = new PaymentMigration(stack, 'Migration', { name: 'payments', side: MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'payments-global', SourceDBClusterIdentifier: 'arn:aws:rds:us-east-1:111111111111:cluster:payments' });
    expect(Object.keys(t.toJSON().Resources)).toHaveLength(1);
    expect(m.sourceRegion().globalClusterIdentifier).toBe('payments-global');
    expect(m.kind).toBe(MigrationSideKind.SOURCE_REGION);
    expect(() => m.targetRegion()).toThrow(/`side` must be built by MigrationSide\.targetRegion for `targetRegion\(\)`.*got: "source-region"/);
  });
});

describe('PaymentMigration validation', () => {
  test('a target side in the source\'s region is refused', () => {
    expect(() => target({}, 'us-east-1')).toThrow(/`side.source.region` must differ from this stack's region us-east-1: this is the target region, got: "us-east-1"/);
  });

  test('a name that cannot name a global cluster is refused', () => {
    const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new PaymentMigration(stack, 'M', { name: 'Payments_EU', side: MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:p' }) })).toThrow(
      /`name` must be 1–41 lowercase letters.*got: "Payments_EU"/,
    );
  });
});

describe('PaymentMigration errors name the props the user typed', () => {
  test.each([
    ['a route table id of the source', { source: { ...SOURCE, routeTableIds: ['rtb-nothex'] } }, /`side\.source\.routeTableIds\[0\]`.*got: "rtb-nothex"/],
    ['the source VPC id', { source: { ...SOURCE, vpcId: 'vpc-1' } }, /`side\.source\.vpcId`.*got: "vpc-1"/],
    ['the target network CIDR', { network: { cidr: '10.1.0.0/8' } }, /`side\.network\.cidr`.*got: "10\.1\.0\.0\/8"/],
    ['the source load balancer zone id', { source: { ...SOURCE, loadBalancerHostedZoneId: 'not-a-zone' } }, /`side\.source\.loadBalancerHostedZoneId`.*got: "not-a-zone"/],
    ['a regional cluster endpoint as the global writer', { source: { ...SOURCE, globalWriterEndpoint: 'payments.cluster-abc123.us-east-1.rds.amazonaws.com' } }, /`side\.source\.globalWriterEndpoint` must be the global writer endpoint of payments-global.*got: "payments\.cluster-abc123/],
    ['no global writer endpoint (a plain JavaScript caller)', { source: { ...SOURCE, globalWriterEndpoint: undefined } }, /`side\.source\.globalWriterEndpoint` is required: it must be a string, got: undefined/],
    ['the record names', { dns: { zoneName: 'pay.example.com', recordNames: [] } }, /`side\.dns\.recordNames`/],
    ['the cutover poll interval', { cutover: { pollInterval: Duration.millis(500) } }, /`side\.cutover\.pollInterval` must be a whole number of seconds/],
  ])('%s', (_case, options, message) => {
    expect(() => target(options as Partial<TargetRegionOptions>)).toThrow(message);
  });

  test('no inner prop name leaks for those inputs', () => {
    expect(() => target({ source: { ...SOURCE, routeTableIds: ['rtb-nothex'] } })).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/peerRouteTableIds/) }));
  });
});

describe('MigrationSide: one named class per kind', () => {
  test('each factory returns its kind\'s class, which carries its options', () => {
    const source = MigrationSide.sourceRegion({ primaryClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:p' });
    expect(source).toBeInstanceOf(SourceRegionSide);
    expect(source).toBeInstanceOf(MigrationSide);
    expect(source.kind).toBe(MigrationSideKind.SOURCE_REGION);
    expect(source.options.primaryClusterArn).toBe('arn:aws:rds:us-east-1:111111111111:cluster:p');
    const { migration } = target();
    expect(migration.side).toBeInstanceOf(TargetRegionSide);
    expect((migration.side as TargetRegionSide).options.dns.recordNames).toEqual(['api', 'checkout']);
    expect(onPremises().migration.side).toBeInstanceOf(DatacenterToAwsSide);
  });
});
