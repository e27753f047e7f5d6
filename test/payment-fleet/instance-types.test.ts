import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { fleetInstanceTypes } from '../../src/payment-fleet/instance-types';

const names = (types: ec2.InstanceType[]) => types.map((t) => t.toString());

describe('fleetInstanceTypes: the mixed-instances policy, first choice first', () => {
  test.each([
    ['t3.medium', ['t3.medium', 't3a.medium']],
    ['m5.large', ['m5.large', 'm5a.large']],
    ['m6i.large', ['m6i.large', 'm6a.large']],
    ['r7i.2xlarge', ['r7i.2xlarge', 'r7a.2xlarge']],
    ['m7g.large', ['m7g.large']], // Graviton: an x86 AMD variant would not run the same AMI
    ['t3a.medium', ['t3a.medium']],
  ])('%s → %p by default', (type, expected) => {
    expect(names(fleetInstanceTypes(new ec2.InstanceType(type), undefined))).toEqual(expected);
  });

  test('given fallbacks replace the default ones, in order, without repeating the first choice', () => {
    const types = fleetInstanceTypes(new ec2.InstanceType('t3.medium'), [new ec2.InstanceType('t3.medium'), new ec2.InstanceType('m6i.large')]);
    expect(names(types)).toEqual(['t3.medium', 'm6i.large']);
  });

  test('an empty list of fallbacks leaves one type', () => {
    expect(names(fleetInstanceTypes(new ec2.InstanceType('t3.medium'), []))).toEqual(['t3.medium']);
  });
});
