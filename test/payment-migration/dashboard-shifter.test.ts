import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { onPremises } from './fixtures';
import { TrafficShifting } from '../../src';
import { createMigrationDashboard, DashboardParts } from '../../src/payment-migration/dashboard';

// GIVEN the datacenter path shifting on the fleet's load balancer (legacy servers and fleet: two target groups of one
// listener), and a dashboard made from its parts
const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/fleet-alb/0123456789abcdef/fedcba9876543210';
const { stack, migration, template } = onPremises(() => ({ shifting: TrafficShifting.loadBalancer({ legacyTargets: ['192.168.10.31', '192.168.10.32'] }) }));
const side = migration.datacenterToAws();
const legacy = stack.node.findAll().find((c) => c.node.id === 'LegacyTargetGroup') as elbv2.ApplicationTargetGroup;
const resources = template.toJSON().Resources;
const logicalId = (c: Construct) => stack.getLogicalId(c.node.defaultChild as any);

/** A deployment's values: a listener's ARN, `<id>.<attr>` for GetAtt, the logical id for other Refs. */
function deployed(v: any): any {
  if (Array.isArray(v)) return v.map(deployed);
  if (v === null || typeof v !== 'object') return v;
  const [k] = Object.keys(v);
  const a = v[k];
  if (k === 'Ref') return resources[a]?.Type === 'AWS::ElasticLoadBalancingV2::Listener' ? LISTENER_ARN : a;
  if (k === 'Fn::GetAtt') return `${a[0]}.${a[1]}`;
  if (k === 'Fn::Join') return deployed(a[1]).map(String).join(a[0]);
  if (k === 'Fn::Select') return deployed(a[1])[Number(a[0])];
  if (k === 'Fn::Split') return String(deployed(a[1])).split(a[0]);
  return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, deployed(x)]));
}

/** The dashboard's widgets as CloudWatch receives them. */
function widgets(id: string, extra: Partial<DashboardParts>): any[] {
  const dashboard = createMigrationDashboard(new Construct(stack, id), { title: 'datacenter → us-east-1', replication: [], fleet: side.fleet, orchestrator: side.orchestrator, ...extra });
  const cfn = dashboard.node.defaultChild as cloudwatch.CfnDashboard;
  return JSON.parse(deployed(stack.resolve(cfn.dashboardBody))).widgets;
}
const titled = (all: any[], title: string) => all.find((w) => w.properties.title === title).properties.metrics;

describe('the dashboard with load-balancer shifting', () => {
  // WHEN the legacy target group and the shifter's description are given
  const all = widgets('WithLegacy', { legacyTargetGroup: legacy, shifterDescription: side.shifter.description });
  const requests = (tg: string, label: string, extra: object = {}) => [
    'AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', 'app/fleet-alb/0123456789abcdef', 'TargetGroup', `${tg}.TargetGroupFullName`,
    { label, ...extra, period: 60, stat: 'Sum' },
  ];

  test('observed split = fleet target group requests / both target groups\' requests, on the one load balancer', () => {
    expect(titled(all, 'Traffic split: intended vs observed (target %)')).toEqual([
      expect.arrayContaining(['PaymentMigration', 'TargetWeight']),
      [{ label: 'observed: target share of requests (%)', expression: '100 * t / (s + t)', period: 60 }],
      requests(logicalId(legacy), 'legacy (target group)', { id: 's', visible: false }),
      requests(logicalId(side.fleet.targetGroup), 'fleet (target group)', { id: 't', visible: false }),
    ]);
    expect(titled(all, 'Requests per side')).toEqual([
      requests(logicalId(side.fleet.targetGroup), 'fleet (target group)'),
      requests(logicalId(legacy), 'legacy (target group)'),
    ]);
  });

  test('the legacy servers\' health as the load balancer sees it, next to the fleet\'s', () => {
    expect(titled(all, 'Healthy hosts')[1]).toEqual(expect.arrayContaining(['HealthyHostCount', 'TargetGroup', `${logicalId(legacy)}.TargetGroupFullName`]));
    expect(titled(all, '5xx from targets')[1]).toEqual(expect.arrayContaining(['HTTPCode_Target_5XX_Count', `${logicalId(legacy)}.TargetGroupFullName`]));
  });

  test('the header names the shifter', () => {
    expect(all[0].properties.markdown).toMatch(/\n\nTraffic moves with: load balancer \(weighted target groups on one listener\)\.$/);
    expect(all[0].height).toBe(3);
  });

  test('without them (DNS shifting from a datacenter): no observed split (the legacy side has no load balancer), no shifter line', () => {
    const plain = widgets('Plain', {});
    expect(titled(plain, 'Traffic split: intended vs observed (target %)')).toHaveLength(1);
    expect(titled(plain, 'Requests per side')).toHaveLength(1);
    expect(plain[0].properties.markdown).not.toContain('Traffic moves with');
    expect(plain[0].height).toBe(2);
  });
});
