import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the Aurora constructs share for these checks: their connections and grantConnect. */
interface Database {
  readonly connections: ec2.Connections;
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant;
}

/**
 * A security group `id` allowed in on the database's default port: the stack has the ingress on 3307 with `groupIds`
 * (the source's group, and the database's own when given).
 */
export function expectIngressOnDatabasePort(
  stack: Stack, vpc: ec2.IVpc, db: Database, [id, description, reason]: [string, string, string], groupIds: Record<string, unknown>,
): void {
  const source = new ec2.SecurityGroup(stack, id, { vpc, description });
  db.connections.allowDefaultPortFrom(source, reason);
  Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    FromPort: 3307,
    ToPort: 3307,
    ...groupIds,
  });
}

/** grantConnect to a role: rds-db:connect for `payments_app` on the cluster whose logical id matches `cluster`. */
export function expectGrantConnect(stack: Stack, db: Database, cluster: string): void {
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  db.grantConnect(role, 'payments_app');
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [
        Match.objectLike({
          Action: 'rds-db:connect',
          Resource: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp(cluster), 'DBClusterResourceId'] }, '/payments_app'])] },
        }),
      ],
    },
  });
}

/** The database's subnet group is the VPC's isolated subnets; its security group (`description`) has no egress. */
export function expectInIsolatedSubnetsWithoutEgress(template: Template, description: string): void {
  const isolated = template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]) },
  });
  template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: Object.keys(isolated).map((id) => ({ Ref: id })) });
  template.hasResourceProperties('AWS::EC2::SecurityGroup', {
    GroupDescription: Match.stringLikeRegexp(description),
    SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
  });
}
