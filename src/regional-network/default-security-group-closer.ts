import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../private/nag';
import { createServiceRole } from '../private/service-role';

/** The AWS-owned Automation runbook that removes every rule from a VPC's default security group. */
export const REMOVE_DEFAULT_SG_RULES_RUNBOOK = 'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules';

/**
 * Closes a VPC's default security group without a Lambda function.
 *
 * CloudFormation creates every VPC with a default security group that allows all traffic between its members
 * and all egress. aws-cdk-lib's `restrictDefaultSecurityGroup` closes it with a custom-resource Lambda (whose
 * AWS-managed execution policy trips cdk-nag). Here a Systems Manager State Manager association runs the
 * AWS-owned runbook `AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules` once, on creation, with a role
 * that may revoke rules of that one security group only.
 *
 * @see https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-remove-default-secg-rules.html
 * @internal
 */
export class DefaultSecurityGroupCloser extends Construct {
  public readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: { readonly vpcId: string; readonly defaultSecurityGroupId: string }) {
    super(scope, id);
    const stack = Stack.of(this);

    const { role, policy } = createServiceRole(this, 'Automation', {
      service: 'ssm.amazonaws.com',
      thisAccountOnly: true,
      roleDescription: `Lets SSM Automation remove the rules of the default security group of ${props.vpcId}`,
      policyDescription: 'Remove the rules of one default security group (AWSConfigRemediation runbook)',
      statements: [
        new iam.PolicyStatement({
          sid: 'RevokeDefaultSecurityGroupRules',
          actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
          resources: [
            stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: props.defaultSecurityGroupId }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeAndTrackAutomation',
          actions: ['ec2:DescribeSecurityGroups', 'ssm:GetAutomationExecution', 'ssm:StartAutomationExecution'],
          resources: ['*'],
        }),
      ],
    });

    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: REMOVE_DEFAULT_SG_RULES_RUNBOOK,
      automationTargetParameterName: 'GroupId',
      targets: [{ key: 'ParameterValues', values: [props.defaultSecurityGroupId] }],
      parameters: { AutomationAssumeRole: [role.roleArn] },
      applyOnlyAtCronInterval: false,
    });
    this.association.node.addDependency(policy);

    const describeReason =
      'ec2:DescribeSecurityGroups does not support resource-level permissions, and the runbook ' +
      `${REMOVE_DEFAULT_SG_RULES_RUNBOOK} requires ssm:Get/StartAutomationExecution (AWS runbook reference); ` +
      'the mutating actions are scoped to this one default security group.';
    acknowledge(policy, { id: 'AwsSolutions-IAM5[Resource::*]', reason: describeReason });
  }
}
