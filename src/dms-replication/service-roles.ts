import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../private/nag';

/**
 * The two account-level roles AWS DMS requires before any replication instance, subnet group or task is created
 * through the API or CloudFormation: `dms-vpc-role` and `dms-cloudwatch-logs-role` (exact names, one per account,
 * global — not per region).
 *
 * The permissions are those of the AWS-managed `AmazonDMSVPCManagementRole` (v4) and `AmazonDMSCloudWatchLogsRole`
 * (v2) policies, as customer-managed policies (PCI DSS 7.2: no AWS-managed policies), with the log permissions
 * limited to this account's `dms-tasks-*` log groups.
 *
 * > **N.B.:** deploy these in their own stack, **before** any stack holding DMS resources (see
 * > {@link DmsReplication.createServiceRoles}). Created in the same deployment as the replication instance, IAM
 * > propagation races the DMS API and `CreateReplicationSubnetGroup` / `CreateReplicationInstance` can fail with
 * > "The IAM Role arn:…:role/dms-vpc-role is not configured properly" (aws/aws-cdk#7632): CloudFormation's
 * > dependency ordering guarantees the role exists, not that DMS sees it. If the roles already exist in the account
 * > (the DMS console creates them), do not create them again: the names are fixed and the stack would fail.
 */
export class DmsServiceRoles extends Construct {
  /** The role name the DMS API looks up to manage the replication instance's network interfaces. */
  public static readonly VPC_ROLE_NAME = 'dms-vpc-role';
  /** The role name DMS assumes to write task logs to CloudWatch Logs. */
  public static readonly CLOUDWATCH_LOGS_ROLE_NAME = 'dms-cloudwatch-logs-role';

  /** `dms-vpc-role`. */
  public readonly vpcRole: iam.Role;
  /** `dms-cloudwatch-logs-role`. */
  public readonly cloudWatchLogsRole: iam.Role;
  /** The customer-managed policy equivalent to `AmazonDMSVPCManagementRole`. */
  public readonly vpcPolicy: iam.ManagedPolicy;
  /** The customer-managed policy equivalent to `AmazonDMSCloudWatchLogsRole`. */
  public readonly cloudWatchLogsPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const dms = new iam.ServicePrincipal('dms.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    });

    this.vpcRole = new iam.Role(this, 'VpcRole', {
      roleName: DmsServiceRoles.VPC_ROLE_NAME,
      description: 'AWS DMS: manage the network interfaces of replication instances (account-level role, fixed name)',
      assumedBy: dms,
    });
    this.vpcPolicy = new iam.ManagedPolicy(this, 'VpcPolicy', {
      description: 'Same actions as the AWS-managed AmazonDMSVPCManagementRole (v4), customer-managed',
      roles: [this.vpcRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'ManageReplicationInstanceNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeAvailabilityZones',
            'ec2:DescribeDhcpOptions',
            'ec2:DescribeInternetGateways',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'ec2:ModifyNetworkInterfaceAttribute',
          ],
          resources: ['*'],
        }),
      ],
    });
    acknowledge(this.vpcPolicy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The EC2 Describe* actions support no resource-level permissions, and DMS creates, modifies and deletes the ' +
        'network interfaces of replication instances in whichever subnets and security groups a subnet group names, ' +
        'unknown to this account-level role. The action list is exactly AmazonDMSVPCManagementRole v4, and only the ' +
        'DMS service of this account (aws:SourceAccount) can assume the role.',
    });

    this.cloudWatchLogsRole = new iam.Role(this, 'CloudWatchLogsRole', {
      roleName: DmsServiceRoles.CLOUDWATCH_LOGS_ROLE_NAME,
      description: 'AWS DMS: write replication task logs to the dms-tasks-* log groups (account-level role, fixed name)',
      assumedBy: dms,
    });
    const logGroups = `arn:${Aws.PARTITION}:logs:*:${Aws.ACCOUNT_ID}:log-group:dms-tasks-*`;
    const logStreams = `${logGroups}:log-stream:dms-task-*`;
    this.cloudWatchLogsPolicy = new iam.ManagedPolicy(this, 'CloudWatchLogsPolicy', {
      description: 'Same actions as the AWS-managed AmazonDMSCloudWatchLogsRole (v2), limited to this account',
      roles: [this.cloudWatchLogsRole],
      statements: [
        new iam.PolicyStatement({ sid: 'AllowDescribeOnAllLogGroups', actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'AllowDescribeAndCreateOfDmsTasksLogGroups',
          actions: ['logs:DescribeLogStreams', 'logs:CreateLogGroup'],
          resources: [logGroups],
        }),
        new iam.PolicyStatement({
          sid: 'AllowWritingDmsTaskLogStreams',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logStreams],
        }),
      ],
    });
    acknowledge(
      this.cloudWatchLogsPolicy,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'logs:DescribeLogGroups supports no resource-level permission (it lists groups); DMS calls it to find its ' +
          'dms-tasks-* group. Every write action is limited to the dms-tasks-* groups of this account.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:dms-tasks-*]',
        reason:
          'DMS names the task log group dms-tasks-<replication instance identifier>; this account-level role serves ' +
          'every replication instance of the account in every region, so the group name and region are wildcards.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:dms-tasks-*:log-stream:dms-task-*]',
        reason:
          'DMS names one stream per task, dms-task-<task resource id>, assigned by DMS when the task is created; ' +
          'the wildcard is limited to DMS task streams inside DMS task log groups of this account.',
      },
    );
  }
}
