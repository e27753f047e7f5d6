import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { LoadBalancerCutover, TrafficShifting } from '../../src';
import { rehearse } from '../../src/rehearsal/rehearse';
import { Scenario } from '../../src/rehearsal/scenario';
import { expectOneWriterAtEveryMoment, FORWARD, splits } from '../migration-orchestrator/dms-rehearsal-harness';
import { onPremises } from '../payment-migration/fixtures';
import { expectNoNagFindings } from '../support/nag';

const LEGACY = ['192.168.10.31', '192.168.10.32'];

describe('load-balancer shifting on the datacenter path', () => {
  const { stack, migration, template } = onPremises(() => ({ shifting: TrafficShifting.loadBalancer({ legacyTargets: LEGACY }) }));
  const asl = () => {
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const cutover = Object.values<any>(machines).find((m) => JSON.stringify(m.Properties.DefinitionString).includes('Payment migration cutover'));
    return JSON.stringify(cutover.Properties.DefinitionString);
  };

  test('the fleet\'s listener forwards to both sides by weight: legacy 100, fleet 0, no stickiness', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [{
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: { Ref: Match.stringLikeRegexp('LegacyTargetGroup') }, Weight: 100 },
            { TargetGroupArn: { Ref: Match.stringLikeRegexp('FleetTargetGroup') }, Weight: 0 },
          ],
        },
      }],
    });
  });

  test('the legacy servers are an HTTPS IP target group, outside the VPC (AZ all), reached on the VPN only', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Protocol: 'HTTPS',
      Port: 443,
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPath: '/health',
      Targets: LEGACY.map((Id) => ({ Id, Port: 443, AvailabilityZone: 'all' })),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('Payment fleet load balancer'),
      SecurityGroupEgress: Match.arrayWith([Match.objectLike({ CidrIp: '192.168.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]),
    });
  });

  test('the DNS names point at the load balancer from the start (it forwards 100 % to the legacy servers)', () => {
    const records = Object.values<any>(template.findResources('Custom::WeightedRecords'))[0];
    expect(records.Properties.InitialWeights).toEqual({ Source: 0, Target: 100 });
    expect(migration.datacenterToAws().shifter).toBeInstanceOf(LoadBalancerCutover);
  });

  test('every step is one ModifyListener, read back with DescribeListeners before the bake; no Route 53 change', () => {
    const definition = asl();
    expect(definition).toContain('aws-sdk:elasticloadbalancingv2:modifyListener');
    expect(definition).toContain('aws-sdk:elasticloadbalancingv2:describeListeners');
    expect(definition).toContain('LoadBalancerCutover.NotInEffect');
    expect(definition).not.toContain('changeResourceRecordSets');
  });

  test('the state machine may modify this listener only, and describe listeners (no resource-level permission)', () => {
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const modify = statements.filter((s) => [s.Action].flat().includes('elasticloadbalancing:ModifyListener'));
    expect(modify.length).toBeGreaterThan(0);
    for (const s of modify) expect(JSON.stringify(s.Resource)).toMatch(/FleetLoadBalancerHttps/);
  });

  test('the VPN capacity is a gate before the writer moves (80 % of one tunnel\'s 1.25 Gbps, busier direction)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 7500000000,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'MAX([tin, tout])' })]),
    });
    expect(migration.datacenterToAws().orchestrator.gatingAlarms.map((a) => a.node.id)).toContain('VpnCapacityAlarm');
  });

  test('the runbook\'s manual rollback is the listener\'s own command; the DNS bypass is separate', () => {
    const outputs = Object.entries<any>(template.toJSON().Outputs);
    const output = (name: string) => JSON.stringify(outputs.find(([id]) => id.startsWith(`Migration${name}`))?.[1].Value);
    expect(output('RunbookManualRollback')).toContain('aws elbv2 modify-listener');
    expect(output('RunbookManualRollback')).not.toContain('route53');
    expect(output('RunbookDnsBypass')).toContain('aws route53 change-resource-record-sets');
  });

  test('cdk-nag: no unacknowledged finding', () => {
    expectNoNagFindings(stack);
  });

  describe('rehearsed on the synthesized state machine', () => {
    const run = async (scenario: Scenario) => {
      const r = await rehearse({ template: template.toJSON() as any, scenario: { dms: { initialStatus: 'running' }, ...scenario } });
      expect(r.parameterErrors).toEqual([]);
      expect(r.dataProblems).toEqual([]);
      expectOneWriterAtEveryMoment(r);
      return r;
    };

    test('happy path: four listener changes, each read back, then the writer moves', async () => {
      const r = await run({ name: 'lb happy path' });
      expect(r.status).toBe('SUCCEEDED');
      expect(splits(r)).toEqual(FORWARD);
      expect(r.weightChanges.every((c) => c.via === 'load-balancer')).toBe(true);
    });

    test('a change that does not take effect fails the step and rolls back', async () => {
      // the second listener change never shows in DescribeListeners (something put the old action back)
      const r = await run({ name: 'lb not in effect', loadBalancer: { unappliedChanges: [2] } });
      expect(r.status).toBe('FAILED');
      expect(r.cause).toMatch(/The listener did not show the new weights after 30 reads every 1 s/);
      // no Route 53 change at all: every move, the rollback included, is a listener change
      expect(r.weightChanges.map((c) => c.via)).toEqual(['load-balancer', 'load-balancer']);
      expect(r.finalWeights).toEqual({ source: 100, target: 0 });
      expect(r.writerChanges).toEqual([]);
    });

    test('a rollback whose ModifyListener is throttled retries and still ends at legacy 100', async () => {
      const r = await run({
        name: 'lb throttled rollback',
        alarms: [{ alarm: 'HealthyHosts', state: 'ALARM', from: 600 }],
        loadBalancer: { throttlesFrom: { at: 600, count: 9 } },
      });
      expect(r.status).toBe('FAILED');
      expect(r.timeline.filter((e) => /throttles ModifyListener/.test(e.text)).length).toBe(9);
      expect(r.finalWeights).toEqual({ source: 100, target: 0 });
    });
  });
});

describe('load-balancer shifting: bad input', () => {
  test.each([
    [{ legacyTargets: [] }, /`side.shifting.legacyTargets` must list the legacy servers/],
    [{ legacyTargets: ['fd00::10'] }, /`side.shifting.legacyTargets` must hold IPv4 addresses \(an ALB takes IPv4 targets outside its VPC\), got: "fd00::10"/],
    [{ legacyTargets: ['legacy-1.dc1.example.net'] }, /`side.shifting.legacyTargets` must hold IPv4 addresses.*got: "legacy-1.dc1.example.net"/],
    [{ legacyTargets: ['52.94.76.10'] }, /`side.shifting.legacyTargets` must hold private addresses.*got: "52.94.76.10"/],
    [{ legacyTargets: ['10.9.0.1'] }, /`side.shifting.legacyTargets` must be inside the datacenter CIDRs 192.168.0.0\/16.*got: "10.9.0.1"/],
    [{ legacyTargets: ['192.168.1.1'], legacyPort: 70000 }, /`side.shifting.legacyPort` must be a port number.*got: 70000/],
    [{ legacyTargets: ['192.168.1.1'], stickiness: Duration.days(8) }, /`side.shifting.stickiness` must be whole seconds from 1 second to 7 days/],
  ])('%j is refused', (options, message) => {
    expect(() => onPremises(() => ({ shifting: TrafficShifting.loadBalancer(options as any) }))).toThrow(message);
  });

  test('Global Accelerator is refused on a datacenter migration', () => {
    const ga = TrafficShifting.globalAccelerator({ acceleratorArn: 'a', acceleratorDnsName: 'a.awsglobalaccelerator.com', sourceEndpointGroupArn: 's', targetEndpointGroupArn: 't' });
    expect(() => onPremises(() => ({ shifting: ga }))).toThrow(/`side.shifting` must be TrafficShifting.dns\(\) or TrafficShifting.loadBalancer\(\)/);
  });
});
