import { Fn, Names, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** A DMS identifier derived from the construct path: lowercase, hyphens, starting with a letter. @internal */
export function derivedIdentifier(scope: IConstruct, suffix: string): string {
  const base = Names.uniqueResourceName(scope, { maxLength: 56, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const id = `${base}-${suffix}`;
  return /^[a-z]/.test(id) ? id : `dms-${id}`;
}

/** @internal The task's resource id, the last field of its ARN (`arn:aws:dms:<region>:<account>:task:<resource id>`). */
export function taskResourceId(taskArn: string): string {
  return Fn.select(6, Fn.split(':', taskArn));
}

/**
 * @internal
 * The VPC's CIDR block: the literal block of a VPC defined in this app (its `CidrBlock` attribute is a token, the
 * `AWS::EC2::VPC` property is not), else the attribute (a token, or what an imported VPC was given), else undefined
 * for an imported VPC that was given none (reading it would throw).
 */
export function cidrBlockOf(vpc: ec2.IVpc): string | undefined {
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) {
    return cfn.cidrBlock;
  }
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return undefined;
  }
}

