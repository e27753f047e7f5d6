import { DescribeDBClustersCommand, DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { Aws, call } from './aws';
import { ConsoleManifest, ShifterManifest, shifterOf } from './manifest';
import { CutoverPlan } from './plan';
import { readRecord, recordAdvice, recordSummary } from './record';
import { latestExecution, readGates, readParameter, takeSnapshot } from './snapshot';

/** One check of a practice run. */
export interface PracticeCheck {
  readonly check: string;
  readonly result: 'PASS' | 'FAIL' | 'INFO';
  readonly detail: string;
}

/** The weights Route 53 has for one record name, by set identifier, and which side each is. */
export async function recordWeights(aws: Aws, manifest: ConsoleManifest): Promise<Array<{ name: string; sets: Array<{ id: string; weight: number; side: 'source' | 'target' }> }>> {
  if (!manifest.zone || !manifest.rec) return [];
  const out = [];
  for (const name of manifest.rec) {
    const list = await call(`reading the weighted records of ${name}`, () => aws.route53().send(new ListResourceRecordSetsCommand({ HostedZoneId: manifest.zone, StartRecordName: name, MaxItems: 10 })), aws.region);
    const fqdn = `${name.replace(/\.$/, '')}.`.toLowerCase();
    const sets = (list.ResourceRecordSets ?? [])
      .filter((r) => r.Name?.toLowerCase() === fqdn && r.SetIdentifier !== undefined && r.Weight !== undefined)
      .map((r) => {
        const points = `${r.AliasTarget?.DNSName ?? ''} ${(r.ResourceRecords ?? []).map((x) => x.Value).join(' ')}`.toLowerCase();
        const isTarget = manifest.tgt.dns ? points.includes(manifest.tgt.dns.toLowerCase()) : r.SetIdentifier === 'target';
        return { id: r.SetIdentifier!, weight: r.Weight!, side: (isTarget ? 'target' : 'source') as 'source' | 'target' };
      });
    out.push({ name, sets });
  }
  return out;
}

/**
 * `start --dry-run`: what a start checks that can be read at once (not the DMS load, which the cutover waits for, nor
 * the healthy-target count), evaluated live against the account, and nothing changed —
 * no execution started, no parameter or weight written (the online counterpart of the offline rehearsal).
 */
export async function practiceRun(aws: Aws, stackName: string, manifest: ConsoleManifest, plan: CutoverPlan, suffix = ` --stack ${stackName}`): Promise<PracticeCheck[]> {
  const checks: PracticeCheck[] = [];
  const running = await latestExecution(aws, manifest, 'RUNNING');
  checks.push(running
    ? { check: 'only one cutover', result: 'FAIL', detail: `${running.name} is running` }
    : { check: 'only one cutover', result: 'PASS', detail: 'no execution running' });
  if (manifest.tbl) {
    const record = await readRecord(aws, manifest, stackName, true);
    checks.push({
      check: 'cutover record IDLE',
      result: record.verdict === 'idle' ? 'PASS' : 'FAIL',
      detail: `${recordSummary(record)} — ${recordAdvice(record, suffix).join('; ')}`,
    });
  } else {
    checks.push({ check: 'cutover record IDLE', result: 'INFO', detail: 'not in this stack\'s console manifest (deployed with an older cdk-payment-migration): the workflow\'s own lock decides' });
  }
  const control = await readParameter(aws, manifest.ctl);
  // The pre-check accepts RUN and SKIP_BAKE (a leftover SKIP_BAKE is never taken: it predates the start).
  const startable = control === 'RUN' || control === 'SKIP_BAKE';
  checks.push({
    check: 'control parameter not PAUSE or ABORT',
    result: startable ? 'PASS' : 'FAIL',
    detail: `${manifest.ctl} = ${control}${control === 'SKIP_BAKE' ? ' (left over: harmless, not taken by the next cutover)' : startable ? '' : ` (left over: reset it with payment-migration resume${suffix} --force)`}`,
  });
  const gates = await readGates(aws, [...new Set([...manifest.alarms, ...plan.gateAlarms])]);
  for (const g of gates) {
    checks.push({
      check: `gate ${g.name}`,
      result: g.state === 'OK' ? 'PASS' : 'FAIL',
      detail: `${g.state}${g.state === 'INSUFFICIENT_DATA' ? ' (blocks a start under the default InsufficientDataPolicy.BLOCK)' : ''}${g.reason ? ` — ${g.reason}` : ''}`,
    });
  }
  const snapshot = await takeSnapshot(aws, stackName, manifest, plan);
  const w = snapshot.writer;
  if (w?.kind === 'parameter') {
    checks.push({ check: 'database writer on the source', result: w.value === 'SOURCE' ? 'PASS' : 'FAIL', detail: `${w.detail} = ${w.value}${w.value === 'SOURCE' ? '' : ' (a new cutover refuses to start unless it is SOURCE)'}` });
  } else if (w?.kind === 'global-cluster') {
    checks.push({ check: 'database writer on the source', result: w.side === 'source' ? 'PASS' : 'FAIL', detail: `writer in ${w.value} — ${w.detail}` });
  }
  if (manifest.gc && manifest.db) checks.push(...await targetDatabaseChecks(aws, manifest.gc, manifest.db));
  const shifter = shifterOf(manifest);
  checks.push(...shifterChecks(shifter, await recordWeights(aws, manifest)));
  const steps = plan.steps.map((s) => `${s.percent} % (bake ${s.bakeSeconds} s)`).join(' → ');
  checks.push({ check: 'plan', result: 'INFO', detail: `${steps || 'no steps found in the definition'}${plan.database ? ` → ${plan.database}` : ''}; polls every ${plan.pollSeconds} s${plan.approvals.length ? `; approvals: ${plan.approvals.join(', ')}` : ''}` });
  if (snapshot.observed.target !== undefined) {
    checks.push({ check: 'target load balancer traffic', result: 'INFO', detail: `${snapshot.observed.target ?? 0} requests in the last full minute` });
  }
  return checks;
}

type RecordWeights = Awaited<ReturnType<typeof recordWeights>>;

/**
 * Where the DNS names point before a start, by shifter: with DNS shifting every name all on the source (the cutover
 * moves these weights); with load-balancer shifting all on the target's load balancer, which splits by its listener's
 * weights (the console has no Elastic Load Balancing client: the command that reads them is given); with Global
 * Accelerator the names are not what moves traffic (the dials are), and are shown only.
 */
export function shifterChecks(shifter: ShifterManifest, records: RecordWeights): PracticeCheck[] {
  const checks: PracticeCheck[] = [];
  if (shifter.k === 'lb') {
    checks.push({ check: 'shifter', result: 'INFO', detail: `load balancer (weighted target groups on one listener); its weights: aws elbv2 describe-listeners --listener-arns ${shifter.l} --query 'Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups'` });
  } else if (shifter.k === 'ga') {
    checks.push({ check: 'shifter', result: 'INFO', detail: `Global Accelerator traffic dials; each dial: aws globalaccelerator describe-endpoint-group --region us-west-2 --endpoint-group-arn ${shifter.s} (source), ${shifter.t} (target)` });
  }
  for (const r of records) {
    const source = r.sets.filter((x) => x.side === 'source').reduce((a, x) => a + x.weight, 0);
    const target = r.sets.filter((x) => x.side === 'target').reduce((a, x) => a + x.weight, 0);
    const weights = `source ${source} / target ${target}`;
    if (r.sets.length !== 2) {
      checks.push({ check: `weights of ${r.name}`, result: shifter.k === 'ga' ? 'INFO' : 'FAIL', detail: `${r.sets.length} weighted record(s) found, expected 2` });
    } else if (shifter.k === 'lb') {
      const ok = source === 0 && target > 0;
      checks.push({ check: `weights of ${r.name}`, result: ok ? 'PASS' : 'FAIL', detail: `${weights}${ok ? ' (on the load balancer, which splits by its listener weights)' : ' (the names must point at the load balancer before the cutover: redeploy the stack)'}` });
    } else if (shifter.k === 'ga') {
      checks.push({ check: `weights of ${r.name}`, result: 'INFO', detail: `${weights} (the cutover moves the accelerator's dials, not these records)` });
    } else {
      const ok = target === 0 && source > 0;
      checks.push({ check: `weights of ${r.name}`, result: ok ? 'PASS' : 'FAIL', detail: `${weights}${ok ? '' : ' (not all on the source: an earlier cutover did not finish or roll back)'}` });
    }
  }
  return checks;
}

/** The Aurora pre-checks of the cutover: the target cluster available, and a member of the global cluster. */
async function targetDatabaseChecks(aws: Aws, globalCluster: string, clusterArn: string): Promise<PracticeCheck[]> {
  const clusterId = clusterArn.split(':').pop()!;
  const [clusters, globals] = await Promise.all([
    call('describing the target cluster', () => aws.rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })), aws.region).catch((e) => e as Error),
    call('describing the global cluster', () => aws.rds().send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalCluster })), aws.region),
  ]);
  const status = clusters instanceof Error ? undefined : clusters.DBClusters?.[0]?.Status;
  const member = (globals.GlobalClusters?.[0]?.GlobalClusterMembers ?? []).some((m) => m.DBClusterArn === clusterArn);
  return [
    { check: 'target database available', result: status === 'available' ? 'PASS' : 'FAIL', detail: `${clusterId}: ${status ?? (clusters as Error).message}` },
    { check: 'target a member of the global cluster', result: member ? 'PASS' : 'FAIL', detail: `${clusterId} ${member ? 'is' : 'is NOT'} a member of ${globalCluster}` },
  ];
}
