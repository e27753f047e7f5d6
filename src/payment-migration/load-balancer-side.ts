import { isIPv4 } from 'net';
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { Construct } from 'constructs';
import { DatacenterToAwsOptions } from './datacenter-options';
import { TrafficShiftingKind } from './traffic-shifting';
import { LoadBalancerCutover } from '../load-balancer-cutover/load-balancer-cutover';
import { PaymentFleet } from '../payment-fleet/payment-fleet';
import { ipInCidr } from '../private/cidr';
import { Validator } from '../private/validation';

/** The ranges an ALB accepts for IP targets outside its VPC: RFC 1918 and RFC 6598 (ELB, "IP addresses as targets"). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** The datacenter side's load-balancer shifting options, checked against the rest of the side. @internal */
export function validateLoadBalancerShifting(v: Validator, o: DatacenterToAwsOptions): void {
  const shifting = o.shifting;
  if (!shifting) return;
  v.check(shifting.kind !== TrafficShiftingKind.GLOBAL_ACCELERATOR, 'side.shifting',
    'must be TrafficShifting.dns() or TrafficShifting.loadBalancer() on a datacenter migration (Global Accelerator shifts between two AWS Regions)', shifting.kind);
  if (shifting.kind !== TrafficShiftingKind.LOAD_BALANCER) return;
  const { given, resolved: lb } = shifting._loadBalancer();
  const ips = lb.legacyTargets;
  if (!Array.isArray(ips) || ips.length === 0) {
    v.fail('side.shifting.legacyTargets', 'must list the legacy servers\' private IPv4 addresses (the load balancer forwards the legacy share to them)', ips);
    return;
  }
  const cidrs = o.source.connectivity.cidrs;
  for (const ip of ips) {
    if (Token.isUnresolved(ip)) continue;
    if (!isIPv4(ip)) {
      v.fail('side.shifting.legacyTargets', 'must hold IPv4 addresses (an ALB takes IPv4 targets outside its VPC)', ip);
    } else if (!PRIVATE_RANGES.some((r) => ipInCidr(ip, r))) {
      v.fail('side.shifting.legacyTargets', `must hold private addresses (${PRIVATE_RANGES.join(', ')}): an ALB reaches targets outside its VPC only there`, ip);
    } else if (!cidrs.some((c) => Token.isUnresolved(c) || ipInCidr(ip, c))) {
      v.fail('side.shifting.legacyTargets', `must be inside the datacenter CIDRs ${cidrs.join(', ')} (only they are routed over the VPN)`, ip);
    }
  }
  v.check(new Set(ips).size === ips.length, 'side.shifting.legacyTargets', 'must not list an address twice', ips);
  v.check(ips.length <= 1000, 'side.shifting.legacyTargets', 'must list at most 1000 addresses (targets per target group)', ips.length);
  const { legacyPort: port, legacyHealthCheckPath: path, vpnCapacityMbps: mbps } = lb;
  v.check(Number.isInteger(port) && port >= 1 && port <= 65535, 'side.shifting.legacyPort', 'must be a port number 1-65535', port);
  v.check(typeof path === 'string' && path.startsWith('/') && path.length <= 1024, 'side.shifting.legacyHealthCheckPath', 'must be a path starting with / (at most 1024 characters)', path);
  v.check(typeof mbps === 'number' && mbps > 0, 'side.shifting.vpnCapacityMbps', 'must be a bandwidth above 0, in megabits per second', mbps);
  // as the side builds the alarm: only with a VPN connection id (null, from plain JavaScript, is not given)
  v.check(given.vpnCapacityMbps === undefined || given.vpnCapacityMbps === null || !!o.source.connectivity.vpnConnectionId, 'side.shifting.vpnCapacityMbps',
    'needs `side.source.connectivity.vpnConnectionId`: the capacity gate alarms on that VPN connection\'s traffic, so without it the value would be ignored ' +
      '(over Direct Connect, size the connection by the legacy peak and leave this unset)', given.vpnCapacityMbps);
}

/** What the load-balancer shifting adds to a datacenter side. @internal */
export interface LoadBalancerSide {
  readonly shifter: LoadBalancerCutover;
  readonly legacyTargetGroup: elbv2.ApplicationTargetGroup;
  /** Alarms when the VPN carries more than 80 % of its capacity (with a VPN connection id). */
  readonly vpnCapacityAlarm?: cloudwatch.Alarm;
}

/**
 * The legacy servers as an IP target group of the fleet's load balancer (over the VPN), the weighted forward that
 * fronts both sides, and the VPN capacity alarm the cutover gates on.
 * @internal
 */
export function buildLoadBalancerSide(scope: Construct, o: DatacenterToAwsOptions, fleet: PaymentFleet, vpc: ec2.IVpc): LoadBalancerSide {
  const lb = o.shifting!._loadBalancer().resolved;
  const port = lb.legacyPort;
  const legacyTargetGroup = new elbv2.ApplicationTargetGroup(scope, 'LegacyTargetGroup', {
    vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    port,
    // 'all': the addresses are outside the VPC, reached through its routes to the datacenter
    targets: lb.legacyTargets.map((ip) => new targets.IpTarget(ip, port, 'all')),
    deregistrationDelay: Duration.seconds(60),
    healthCheck: {
      protocol: elbv2.Protocol.HTTPS,
      path: lb.legacyHealthCheckPath,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      healthyHttpCodes: '200',
    },
  });
  // The load balancer reaches the legacy servers on their port, in the datacenter CIDRs only.
  for (const cidr of o.source.connectivity.cidrs) {
    fleet.loadBalancer.connections.allowTo(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), 'to the legacy servers over the VPN (the legacy share of the cutover)');
  }
  const shifter = new LoadBalancerCutover(scope, 'Shift', {
    listener: fleet.listener,
    source: legacyTargetGroup,
    target: fleet.targetGroup,
    stickiness: lb.stickiness,
  });

  const vpnId = o.source.connectivity.vpnConnectionId;
  let vpnCapacityAlarm: cloudwatch.Alarm | undefined;
  if (vpnId) {
    const mbps = lb.vpnCapacityMbps;
    const bytes = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/VPN', metricName, dimensionsMap: { VpnId: vpnId }, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1),
    });
    const busiest = new cloudwatch.MathExpression({
      expression: 'MAX([tin, tout])',
      usingMetrics: { tin: bytes('TunnelDataIn'), tout: bytes('TunnelDataOut') },
      label: 'VPN bytes per minute, busier direction',
      period: Duration.minutes(1),
    });
    const threshold = Math.round(0.8 * mbps * 1e6 / 8 * 60);
    vpnCapacityAlarm = busiest.createAlarm(scope, 'VpnCapacityAlarm', {
      alarmDescription: `VPN ${vpnId} carries more than 80 % of ${mbps} Mbps (the load balancer sends the legacy share through it)`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
  return { shifter, legacyTargetGroup, vpnCapacityAlarm };
}
