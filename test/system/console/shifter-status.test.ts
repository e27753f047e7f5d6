import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { MotoWorld, referenceWorld } from './moto-world';
import { runCli } from '../../console/cli-bundle';
import { ACCOUNT, TARGET_ALB_DNS, TARGET_ALB_FULL_NAME } from '../../console/reference-stack';

jest.setTimeout(90_000);

// GIVEN the reference stack deployed into moto (both load balancers' RequestCount: target 250, source 750 a minute),
// and three more migration stacks whose manifests name each shifter: the datacenter path shifting on its load
// balancer (the legacy servers' and the fleet's target groups, each with its own RequestCount on that load balancer),
// the cross-region path shifting with Global Accelerator, and a manifest of an older library (no `sh`).
const LISTENER = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:listener/${TARGET_ALB_FULL_NAME}/f2f7dc8efc522ab2`;
const LEGACY_TG = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/legacy-payments/73e2d6bc24d8a067`;
const FLEET_TG = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/fleet-payments/943f017f100becff`;
const ACCELERATOR = `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh`;
const LB_RECORD = 'lb.pay.example.com';

let world: MotoWorld;
let bundle: string;
const cli = (...args: string[]) => runCli(bundle, world.endpoint, args);

async function stack(name: string, manifest: unknown): Promise<void> {
  await new CloudFormationClient(world.config()).send(new CreateStackCommand({
    StackName: name,
    TemplateBody: JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: { MigrationConsoleManifest0A1B2C3D: { Value: JSON.stringify(manifest) } } }),
  }));
}

beforeAll(async () => {
  ({ world, bundle } = await referenceWorld());
  const { gc: _gc, db: _db, src: _src, sh: _sh, ...common } = world.manifest;
  const dms = { ...common, kind: 'dms', wr: '/payments/database/writer' };
  // the datacenter path with load-balancer shifting: its names point at the load balancer from the start
  await stack('PaymentLoadBalancer', { ...dms, rec: [LB_RECORD], sh: { k: 'lb', l: LISTENER, s: LEGACY_TG, t: FLEET_TG } });
  await world.route53().send(new ChangeResourceRecordSetsCommand({
    HostedZoneId: world.zoneId,
    ChangeBatch: {
      Changes: [
        { Action: 'CREATE', ResourceRecordSet: { Name: LB_RECORD, Type: 'A', SetIdentifier: 'source', Weight: 0, ResourceRecords: [{ Value: '52.94.76.10' }], TTL: 60 } },
        { Action: 'CREATE', ResourceRecordSet: { Name: LB_RECORD, Type: 'A', SetIdentifier: 'target', Weight: 100, AliasTarget: { DNSName: `dualstack.${TARGET_ALB_DNS}`, HostedZoneId: 'Z32O12XQLNTSW2', EvaluateTargetHealth: true } } },
      ],
    },
  }));
  // each target group's requests on the one load balancer: fleet 300, legacy 100 a minute
  const minute = Math.floor(Date.now() / 60000) * 60000;
  for (const [group, count] of [[FLEET_TG, 300], [LEGACY_TG, 100]] as const) {
    for (let k = -3; k <= 3; k++) {
      await world.cloudwatch('eu-west-1').send(new PutMetricDataCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricData: [{
          MetricName: 'RequestCount',
          Dimensions: [{ Name: 'TargetGroup', Value: group.split(':').pop()! }, { Name: 'LoadBalancer', Value: TARGET_ALB_FULL_NAME }],
          Timestamp: new Date(minute + k * 60000 + 30000),
          Value: count,
          Unit: 'Count',
        }],
      }));
    }
  }
  await stack('PaymentAccelerator', { ...world.manifest, sh: { k: 'ga', a: ACCELERATOR, s: `${ACCELERATOR}/listener/0123abcd/endpoint-group/aaaa1111`, t: `${ACCELERATOR}/listener/0123abcd/endpoint-group/bbbb2222` } });
  await stack('PaymentOlder', { ...world.manifest, sh: undefined });
});
afterAll(async () => world?.stop());

describe('status names the shifter and measures the split where it is made', () => {
  test('load balancer: the observed split is the two target groups\' requests on the one load balancer', async () => {
    // WHEN
    const run = await cli('status', '--stack', 'PaymentLoadBalancer', '--json');
    // THEN not the load balancer's total (250), and the legacy side is measured although it has no load balancer
    const s = JSON.parse(run.stdout);
    expect(s).toMatchObject({ kind: 'dms', shifter: 'load-balancer', observed: { target: 300, source: 100 } });
    expect(run.code).toBe(0);
    const text = await cli('status', '--stack', 'PaymentLoadBalancer', '--text', '--width', '120');
    expect(text.stdout).toMatch(/Shifter {4}load balancer: one weighted forward to the legacy and the fleet target groups/);
    expect(text.stdout).toMatch(/observed {2}source 25\.0 % \(100 req\) · target 75\.0 % \(300 req\)/);
    expect(text.stdout).toMatch(/each side counted on its target group of the one load balancer/);
  });

  test('global accelerator: each Region\'s load balancer, and what the dials move', async () => {
    const run = await cli('status', '--stack', 'PaymentAccelerator', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'aurora-global', shifter: 'global-accelerator', observed: { target: 250, source: 750 } });
    const text = await cli('status', '--stack', 'PaymentAccelerator', '--text', '--width', '120');
    expect(text.stdout).toMatch(/Shifter {4}Global Accelerator traffic dials/);
    expect(text.stdout).toMatch(/observed {2}source 75\.0 % \(750 req\) · target 25\.0 % \(250 req\)/);
    expect(text.stdout).toMatch(/new connections follow the dials; open connections stay/);
  });

  test.each([['PaymentTarget'], ['PaymentOlder']])('DNS: %s (a manifest without sh is read as DNS)', async (name) => {
    const run = await cli('status', '--stack', name, '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ shifter: 'dns', observed: { target: 250, source: 750 } });
    expect((await cli('status', '--stack', name, '--text')).stdout).toMatch(/Shifter {4}Route 53 weighted records/);
  });

  test('start --dry-run on the load-balancer path: the names on the load balancer pass; the listener\'s weights are one command away', async () => {
    const run = await cli('start', '--dry-run', '--stack', 'PaymentLoadBalancer');
    expect(run.stdout).toMatch(/PASS {2}weights of lb\.pay\.example\.com: source 0 \/ target 100 \(on the load balancer, which splits by its listener weights\)/);
    expect(run.stdout).toContain(`INFO  shifter: load balancer (weighted target groups on one listener); its weights: aws elbv2 describe-listeners --listener-arns ${LISTENER}`);
    // the reference stack's names, all on the source, are right for DNS shifting
    expect((await cli('start', '--dry-run', '--stack', 'PaymentTarget')).stdout).toMatch(/PASS {2}weights of api\.pay\.example\.com: source 100 \/ target 0\n/);
  });
});
