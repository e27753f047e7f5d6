import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TargetRegionOptions } from './cross-region-options';
import { TrafficShiftingKind } from './traffic-shifting';
import { AcceleratorCutover } from '../accelerator-cutover/accelerator-cutover';
import { Validator } from '../private/validation';

/** The target region's shifting options, checked against the rest of the side. @internal */
export function validateAcceleratorShifting(v: Validator, t: TargetRegionOptions): void {
  const shifting = t.shifting;
  if (!shifting) return;
  v.check(shifting.kind !== TrafficShiftingKind.LOAD_BALANCER, 'side.shifting',
    'must be TrafficShifting.dns() or TrafficShifting.globalAccelerator() on a cross-region migration (a load balancer lives in one Region: ' +
      'the rollback would depend on the Region it moves away from)', shifting.kind);
  if (shifting.kind !== TrafficShiftingKind.GLOBAL_ACCELERATOR) return;
  const ga = shifting._accelerator();
  for (const key of ['acceleratorArn', 'acceleratorDnsName', 'sourceEndpointGroupArn', 'targetEndpointGroupArn'] as const) {
    v.check(typeof ga[key] === 'string' && ga[key].length > 0, `side.shifting.${key}`, 'must be given (see EdgeAccelerator, deployed in us-west-2)', ga[key]);
  }
  const dns = ga.acceleratorDnsName;
  v.check(typeof dns !== 'string' || Token.isUnresolved(dns) || /^[a-z0-9]+\.awsglobalaccelerator\.com$/i.test(dns), 'side.shifting.acceleratorDnsName',
    'must be an accelerator\'s DNS name such as a1234567890abcdef.awsglobalaccelerator.com (the weighted records point at it)', dns);
}

/** The Global Accelerator shifter of a target region. @internal */
export function buildAcceleratorShifter(scope: Construct, t: TargetRegionOptions, removalPolicy: RemovalPolicy | undefined): AcceleratorCutover {
  const ga = t.shifting!._accelerator();
  return new AcceleratorCutover(scope, 'Shift', {
    acceleratorArn: ga.acceleratorArn,
    sourceEndpointGroupArn: ga.sourceEndpointGroupArn,
    targetEndpointGroupArn: ga.targetEndpointGroupArn,
    removalPolicy,
  });
}
