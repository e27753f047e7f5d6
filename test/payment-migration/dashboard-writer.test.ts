import { Template } from 'aws-cdk-lib/assertions';
import { onPremises, target } from './fixtures';
import { MigrationSideKind, TrafficShifting } from '../../src';

/** A token in the dashboard body, as text: `<Ref:Id>`, `<GetAtt:Id.Attr>`. */
function placeholder(v: any): string {
  if (typeof v === 'string') return v;
  if (v?.Ref) return `<Ref:${v.Ref}>`;
  if (v?.['Fn::GetAtt']) return `<GetAtt:${v['Fn::GetAtt'].join('.')}>`;
  return `<${Object.keys(v)[0]}>`;
}

/** The widgets of the template's one dashboard, tokens as placeholders. */
function widgets(template: Template): any[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as any[]).map(placeholder).join('');
  return JSON.parse(text).widgets;
}

const metricsOf = (all: any[], title: string): any[][] => {
  const widget = all.find((w) => w.properties.title === title);
  expect(widget).toBeDefined();
  return widget.properties.metrics;
};

describe('the dashboard graphs the Aurora writer\'s CPU and connections (seed S2 §7)', () => {
  // GIVEN each path's migration, WHEN synthesized
  const paths = [
    ['datacenter → AWS (DNS shifting)', () => onPremises()],
    ['datacenter → AWS (load-balancer shifting)', () => onPremises(() => ({ shifting: TrafficShifting.loadBalancer({ legacyTargets: ['192.168.10.31'] }) }))],
    ['cross-region target', () => target()],
  ] as const;

  test.each(paths)('%s: the writer (Role WRITER) of this Region\'s cluster, next to the readers', (_, build) => {
    const { migration, template } = build();
    const cluster = migration.kind === MigrationSideKind.DATACENTER_TO_AWS ? migration.datacenterToAws().database : migration.targetRegion().database;
    const all = widgets(template);
    // THEN one line per role, on the cluster the side built, per minute
    const line = (metricName: string, role: string) => ['AWS/RDS', metricName, 'DBClusterIdentifier', cluster.clusterIdentifier, 'Role', role];
    const cpu = metricsOf(all, 'Aurora writer: CPU (%)');
    expect(cpu).toEqual([
      [...line('CPUUtilization', 'WRITER'), { label: 'writer', period: 60 }], // Average: the dashboard's default statistic
      [...line('CPUUtilization', 'READER'), { label: 'busiest reader', period: 60, stat: 'Maximum' }],
    ]);
    expect(metricsOf(all, 'Aurora writer: connections')).toEqual([
      [...line('DatabaseConnections', 'WRITER'), { label: 'writer', period: 60, stat: 'Maximum' }],
      [...line('DatabaseConnections', 'READER'), { label: 'most connected reader', period: 60, stat: 'Maximum' }],
    ]);
  });

  test('the writer\'s graphs come right after the replication\'s, before the fleet\'s health', () => {
    const titles = widgets(onPremises().template).map((w) => w.properties.title);
    const cpu = titles.indexOf('Aurora writer: CPU (%)');
    expect(titles.indexOf('Aurora writer: connections')).toBe(cpu + 1);
    expect(cpu).toBeLessThan(titles.indexOf('Healthy hosts'));
    expect(titles.slice(0, cpu).some((t) => /DMS/.test(t ?? ''))).toBe(true);
  });
});
