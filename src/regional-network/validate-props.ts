import { Token } from 'aws-cdk-lib';
import type { RegionalNetworkProps } from './regional-network-props';
import { findOverlaps, parseCidr } from '../private/cidr';
import { checkAlarmActionsRegion, checkLogRetention, isEc2Id, isRegionName, known, Validator } from '../private/validation';

/** The smallest subnet EC2 allows. */
const MIN_SUBNET_PREFIX = 28;
/** Public, private-with-egress and isolated: one subnet of each per AZ. */
const SUBNET_TIERS = 3;

/** What the validation needs to know about the stack. */
export interface StackFacts {
  readonly region?: string;
  readonly account?: string;
}

/**
 * Validates RegionalNetwork props; `azs` are the AZs the network will use (resolved by the caller).
 * @internal
 */
export function validateRegionalNetworkProps(
  v: Validator,
  props: RegionalNetworkProps,
  azs: string[] | undefined,
  stack: StackFacts,
): void {
  // --- CIDR format and size
  const vpcRange = known(props.cidr) ? parseCidr(props.cidr) : undefined;
  v.checkKnown('cidr', props.cidr, () => vpcRange !== undefined, 'must be an IPv4 CIDR block with no host bits set, such as 10.1.0.0/16');
  if (vpcRange) v.check(vpcRange.prefix >= 16 && vpcRange.prefix <= 28, 'cidr', 'must have a prefix between /16 and /28 (the VPC limits)', props.cidr);

  // --- Availability Zones
  if (azs === undefined) {
    v.fail(
      'availabilityZones',
      'must be given when the stack has no explicit region: without it CDK silently spreads the VPC over only 2 AZs. ' +
        'Set `env.region` on the stack or list the AZs (e.g. ["eu-west-1a", "eu-west-1b", "eu-west-1c"])',
      props.availabilityZones,
    );
  } else if (known(azs)) {
    v.check(azs.length >= 2 && azs.length <= 6, 'availabilityZones', 'must list between 2 and 6 AZs (Aurora and the ALB need at least 2)', azs);
    v.check(new Set(azs).size === azs.length, 'availabilityZones', 'must not repeat an AZ', azs);
    if (props.availabilityZones) {
      for (const az of props.availabilityZones) {
        v.check(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(az), 'availabilityZones', 'must contain AZ names such as eu-west-1a', az);
        if (stack.region) {
          v.check(az.startsWith(stack.region), 'availabilityZones', `must be AZs of the stack's region ${stack.region}`, az);
        }
      }
    }
    if (vpcRange) {
      const needed = SUBNET_TIERS * azs.length;
      const smallestPrefix = props.subnetCidrMask ?? vpcRange.prefix + Math.ceil(Math.log2(needed));
      v.check(
        smallestPrefix <= MIN_SUBNET_PREFIX && needed <= 2 ** (smallestPrefix - vpcRange.prefix),
        'cidr',
        `must hold ${needed} subnets (${SUBNET_TIERS} tiers x ${azs.length} AZs) of at least /${MIN_SUBNET_PREFIX}` +
          (props.subnetCidrMask !== undefined ? ` with subnetCidrMask /${props.subnetCidrMask}` : ''),
        props.cidr,
      );
    }
  }
  if (props.subnetCidrMask !== undefined && vpcRange) {
    v.check(
      Number.isInteger(props.subnetCidrMask) && props.subnetCidrMask > vpcRange.prefix && props.subnetCidrMask <= MIN_SUBNET_PREFIX,
      'subnetCidrMask',
      `must be an integer greater than the VPC prefix /${vpcRange.prefix} and at most /${MIN_SUBNET_PREFIX}`,
      props.subnetCidrMask,
    );
  }

  // --- NAT gateways
  if (props.natGateways !== undefined && azs && known(azs)) {
    v.check(
      Number.isInteger(props.natGateways) && props.natGateways >= 1 && props.natGateways <= azs.length,
      'natGateways',
      `must be an integer between 1 and the number of AZs (${azs.length}); one per AZ keeps egress up when an AZ fails`,
      props.natGateways,
    );
  }

  // --- Logs and alarms: flow logs kept a year, alarm actions in the stack's region
  checkLogRetention(v, 'flowLogRetention', props.flowLogRetention, 'flow logs');
  checkAlarmActionsRegion(v, 'alarmActions', props.alarmActions, stack.region);

  // --- Peering
  const p = props.peering;
  if (p) {
    v.checkKnown('peering.peerVpcId', p.peerVpcId, (x) => isEc2Id('vpc', x), 'must be a VPC id (vpc-…)');
    v.checkKnown('peering.peerCidr', p.peerCidr, (x) => parseCidr(x) !== undefined, 'must be an IPv4 CIDR block such as 10.0.0.0/16');
    v.checkKnown('peering.peerRegion', p.peerRegion, isRegionName, 'must be a region name such as us-east-1');
    v.checkKnown('peering.peerRegion', p.peerRegion, (x) => !stack.region || x !== stack.region, `must differ from the stack's region ${stack.region} (this is cross-region peering)`);
    if (known(p.peerAccountId)) {
      v.check(/^\d{12}$/.test(p.peerAccountId), 'peering.peerAccountId', 'must be a 12-digit account id', p.peerAccountId);
      const crossAccount = stack.account !== undefined && p.peerAccountId !== stack.account;
      if (crossAccount) {
        v.check(
          p.peerRoleArn !== undefined,
          'peering.peerRoleArn',
          `must be given when the peer account (${p.peerAccountId}) differs from the stack's account (${stack.account}): ` +
            'the peer account must provide a role that can accept the peering connection',
          p.peerRoleArn,
        );
      }
    }
    v.checkKnown('peering.peerRoleArn', p.peerRoleArn, (x) => /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(x), 'must be an IAM role ARN');
    if (p.peerRouteTableIds !== undefined) {
      validatePeerRouteTables(v, p.peerRouteTableIds, p.peerRegion, p.peerAccountId, stack);
    }
  }

  // --- On-premises and transit gateway
  const onPrem = props.onPremises;
  if (onPrem) {
    v.check(onPrem.cidrs.length > 0, 'onPremises.cidrs', 'must list at least one on-premises CIDR block', onPrem.cidrs);
    onPrem.cidrs.forEach((c, i) => {
      v.checkKnown(`onPremises.cidrs[${i}]`, c, (x) => parseCidr(x) !== undefined, 'must be an IPv4 CIDR block');
    });
    v.checkKnown('onPremises.vpnGatewayId', onPrem.vpnGatewayId, (x) => isEc2Id('vgw', x), 'must be a virtual private gateway id (vgw-…)');
    v.checkKnown('onPremises.vpnConnectionId', onPrem.vpnConnectionId, (x) => isEc2Id('vpn', x), 'must be a Site-to-Site VPN connection id (vpn-…)');
    v.check(
      onPrem.vpnGatewayId !== undefined || props.transitGateway !== undefined,
      'onPremises.vpnGatewayId',
      `must be given unless \`${v.name('transitGateway')}\` is set: the on-premises CIDRs need a route target`,
      onPrem.vpnGatewayId,
    );
    if (onPrem.routePropagation !== undefined && onPrem.vpnGatewayId === undefined) {
      v.fail('onPremises.routePropagation', `applies only with \`${v.name('onPremises.vpnGatewayId')}\` (transit gateway routes are static)`, onPrem.routePropagation);
    }
  }
  const tgw = props.transitGateway;
  if (tgw) {
    v.checkKnown('transitGateway.transitGatewayId', tgw.transitGatewayId, (x) => isEc2Id('tgw', x), 'must be a transit gateway id (tgw-…)');
    (tgw.destinationCidrs ?? []).forEach((c, i) => {
      v.checkKnown(`transitGateway.destinationCidrs[${i}]`, c, (x) => parseCidr(x) !== undefined, 'must be an IPv4 CIDR block');
    });
    const routed = (tgw.destinationCidrs ?? []).length + (onPrem && !onPrem.vpnGatewayId ? onPrem.cidrs.length : 0);
    v.check(routed > 0, 'transitGateway.destinationCidrs', 'must list at least one CIDR (or route on-premises CIDRs through the transit gateway)', tgw.destinationCidrs);
  }

  // --- No two address spaces this VPC routes to may overlap (nor overlap the VPC itself)
  const blocks: { label: string; cidr: string }[] = [];
  if (known(props.cidr)) blocks.push({ label: 'cidr', cidr: props.cidr });
  if (p && known(p.peerCidr)) blocks.push({ label: 'peering.peerCidr', cidr: p.peerCidr });
  onPrem?.cidrs.forEach((c, i) => known(c) && blocks.push({ label: `onPremises.cidrs[${i}]`, cidr: c }));
  tgw?.destinationCidrs?.forEach((c, i) => known(c) && blocks.push({ label: `transitGateway.destinationCidrs[${i}]`, cidr: c }));
  for (const { a, b } of findOverlaps(blocks)) {
    v.fail(b.label, `must not overlap \`${v.name(a.label)}\` (${a.cidr}): routed address spaces must be disjoint`, b.cidr);
  }
}

/** Route table ids (`rtb-…`), none repeated (PeeringRoutes' and the peer side's). @internal */
export function checkRouteTableIds(v: Validator, prop: string, ids: string[]): void {
  ids.forEach((rtb, i) => v.checkKnown(`${prop}[${i}]`, rtb, (x) => isEc2Id('rtb', x), 'must be a route table id (rtb-…)'));
  const dupes = known(ids) ? ids.filter((r, i) => ids.indexOf(r) !== i) : [];
  v.check(dupes.length === 0, prop, 'must not repeat a route table', dupes);
}

/** `peering.peerRouteTableIds`: the peer side's routes, created by this stack in the peer region. */
function validatePeerRouteTables(v: Validator, ids: string[], peerRegion: string, peerAccountId: string | undefined, stack: StackFacts): void {
  const prop = 'peering.peerRouteTableIds';
  if (Token.isUnresolved(ids)) {
    v.fail(prop, 'must be a literal list: the custom resource\'s IAM policy names each route table', ids);
    return;
  }
  v.check(ids.length > 0, prop, 'must name at least one route table of the peer VPC when given (omit it to route the peer side with PeeringRoutes)', ids);
  checkRouteTableIds(v, prop, ids);
  if (peerAccountId !== undefined && stack.account !== undefined && peerAccountId !== stack.account) {
    v.fail(
      prop,
      `cannot be used with a peer account (${Token.isUnresolved(peerAccountId) ? '<token>' : peerAccountId}) other than the stack's ` +
        `(${stack.account}): the peer account's route tables must be changed from that account: use PeeringRoutes there`,
      ids,
    );
  }
  if (stack.region === undefined || stack.account === undefined) {
    v.fail(
      prop,
      'needs a stack with an explicit account and region (`env`): the custom resource\'s IAM policy names each route table by ARN',
      ids,
    );
  }
  if (!known(peerRegion)) {
    v.fail(prop, `needs a literal \`${v.name('peering.peerRegion')}\`: the custom resource's IAM policy is scoped to that region`, ids);
  }
}
