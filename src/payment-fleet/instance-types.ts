import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { acknowledge, acknowledgeInPacks, NagPackPrefix } from '../private/nag';

/** Intel families whose AMD variant (`<family>a`) has the same vCPUs and memory per size and runs the same x86-64 AMI. */
const INTEL_FAMILIES_WITH_AMD_VARIANT = ['t3', 'm5', 'c5', 'r5', 'm6i', 'c6i', 'r6i', 'm7i', 'c7i', 'r7i'];

/**
 * The instance types of the fleet's mixed-instances policy, first choice first: the given fallbacks, or the AMD
 * variant of the same size (t3.medium → t3a.medium, m6i.large → m6a.large) when there is one. Duplicates are dropped.
 * @internal
 */
export function fleetInstanceTypes(instanceType: ec2.InstanceType, fallbacks: ec2.InstanceType[] | undefined): ec2.InstanceType[] {
  const types = [instanceType, ...(fallbacks ?? defaultFallbacks(instanceType))];
  return types.filter((t, i) => types.findIndex((u) => u.toString() === t.toString()) === i);
}

function defaultFallbacks(instanceType: ec2.InstanceType): ec2.InstanceType[] {
  const [family, size] = instanceType.toString().split('.');
  if (size === undefined || !INTEL_FAMILIES_WITH_AMD_VARIANT.includes(family)) return [];
  const amd = family.endsWith('i') ? `${family.slice(0, -1)}a` : `${family}a`;
  return [new ec2.InstanceType(`${amd}.${size}`)];
}

/**
 * What the L2 group leaves out: the subnets' Availability Zones named on the group as well (AWS Control Tower
 * CT.AUTOSCALING.PR.1 reads `AvailabilityZones`), and the acknowledgement of two nag rules that cannot follow a
 * mixed-instances policy to its launch template.
 * @internal
 */
export function completeGroup(group: autoscaling.AutoScalingGroup, availabilityZones: string[]): void {
  const cfnGroup = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
  if (availabilityZones.length > 0) cfnGroup.availabilityZones = availabilityZones;
  const viaPolicy =
    'The group launches from the launch template through its mixed-instances policy, which this rule does not follow; ' +
    'that launch template requires IMDSv2 tokens and encrypts the root volume with the fleet\'s customer-managed key.';
  acknowledge(cfnGroup, { id: 'AwsSolutions-EC26', reason: viaPolicy });
  acknowledgeInPacks(cfnGroup, [NagPackPrefix.NIST_800_53_R5], 'EC2IMDSv2Enabled', viaPolicy);
}
