import * as dms from 'aws-cdk-lib/aws-dms';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DatabaseEngine, DmsReplicationProps } from './props';

/** Where and how the replication instance runs. @internal */
export interface ReplicationInstanceParts {
  readonly props: DmsReplicationProps;
  readonly identifier: string;
  readonly subnets: ec2.SelectedSubnets;
  readonly key: kms.IKey;
  readonly engine: DatabaseEngine;
  readonly sourcePort: number;
  /** Undefined for an imported VPC given no CIDR block: then `secretsManagerEndpoint` is set (validated). */
  readonly vpcCidrBlock?: string;
}

/** The instance, its subnet group and its security group. @internal */
export interface ReplicationInstance {
  readonly subnetGroup: dms.CfnReplicationSubnetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly connections: ec2.Connections;
  readonly instance: dms.CfnReplicationInstance;
}

/**
 * The replication instance, never public, in the private subnets with the VPN routes, behind its own security group
 * whose egress goes only to the datacenter's database, the Aurora cluster and Secrets Manager. @internal
 */
export function createReplicationInstance(scope: Construct, p: ReplicationInstanceParts): ReplicationInstance {
  const { props } = p;
  const subnetGroup = new dms.CfnReplicationSubnetGroup(scope, 'SubnetGroup', {
    replicationSubnetGroupDescription: `Subnets of the DMS replication instance ${p.identifier}`,
    subnetIds: p.subnets.subnetIds,
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: `DMS replication instance ${p.identifier}: egress to the source, the target and Secrets Manager only`,
    allowAllOutbound: false,
  });
  const connections = new ec2.Connections({ securityGroups: [securityGroup] });
  for (const cidr of props.datacenterCidrs) {
    securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(p.sourcePort), `On-premises source database (${p.engine}) over the VPN`);
  }
  connections.allowTo(props.aurora.connections, ec2.Port.tcp(props.aurora.port), 'DMS replication instance to the Aurora target');
  if (props.secretsManagerEndpoint) {
    connections.allowTo(props.secretsManagerEndpoint, ec2.Port.tcp(443), 'DMS replication instance to the Secrets Manager endpoint');
  } else if (p.vpcCidrBlock !== undefined) {
    securityGroup.addEgressRule(ec2.Peer.ipv4(p.vpcCidrBlock), ec2.Port.tcp(443), 'Secrets Manager interface endpoint in this VPC');
  }

  const instance = new dms.CfnReplicationInstance(scope, 'Instance', {
    replicationInstanceIdentifier: p.identifier,
    replicationInstanceClass: props.replicationInstanceClass ?? 'dms.r6i.large',
    allocatedStorage: props.allocatedStorage ?? 100,
    multiAz: props.multiAz ?? true,
    publiclyAccessible: false,
    kmsKeyId: p.key.keyArn,
    engineVersion: props.engineVersion,
    autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
    allowMajorVersionUpgrade: false,
    replicationSubnetGroupIdentifier: subnetGroup.ref,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
  });
  return { subnetGroup, securityGroup, connections, instance };
}
