import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../private/nag';

/**
 * The role RDS enhanced monitoring assumes to publish OS metrics to the `RDSOSMetrics` log group.
 *
 * The same permissions as the AWS-managed `AmazonRDSEnhancedMonitoringRole`, as a customer-managed policy scoped to
 * this account and region (PCI DSS 7.2: no AWS-managed policies).
 * @internal
 */
export function createEnhancedMonitoringRole(scope: Construct): iam.Role {
  const role = new iam.Role(scope, 'MonitoringRole', {
    description: 'RDS enhanced monitoring: publish OS metrics to the RDSOSMetrics log group',
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  const logGroupArn = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:RDSOSMetrics`;
  const policy = new iam.ManagedPolicy(scope, 'MonitoringPolicy', {
    description: 'RDS enhanced monitoring (same actions as AmazonRDSEnhancedMonitoringRole, scoped to this region)',
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'EnableCreationAndManagementOfRDSCloudwatchLogGroups',
        actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        resources: [logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'EnableCreationAndManagementOfRDSCloudwatchLogStreams',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [`${logGroupArn}:log-stream:*`],
      }),
    ],
  });
  acknowledge(policy, {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:RDSOSMetrics:log-stream:*]',
    reason:
      'RDS names one log stream per DB instance resource id, unknown until the instances exist; the wildcard is ' +
      'limited to the RDSOSMetrics log group of this account and region.',
  });
  return role;
}
