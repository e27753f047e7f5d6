import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceMigration } from '../../examples/reference/app';
import { expectNoNagFindings } from '../nag/harness';
import { bundleHandler } from '../weighted-cutover/bundle';

describe('the reference migration (seed S1)', () => {
  bundleHandler();
  const app = new App({ context: { peeringConnectionId: 'pcx-0123456789abcdef0' } });
  const { source, target } = buildReferenceMigration(app);

  test('network, database, fleet, weighted records and orchestrator together: zero unacknowledged findings in the three packs', () => {
    expectNoNagFindings(target);
  });

  test('the source side: global cluster and the routes back through the peering, clean too', () => {
    const t = Template.fromStack(source);
    t.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    t.resourceCountIs('AWS::EC2::Route', 3);
    expectNoNagFindings(source);
  });

  test('the target stack stays within half of CloudFormation\'s resource limit', () => {
    expect(Object.keys(Template.fromStack(target).toJSON().Resources).length).toBeLessThanOrEqual(250);
  });

  test('the fleet writes through the global writer endpoint, and the database admits only the fleet', () => {
    const t = Template.fromStack(target);
    const lt = Object.values(t.findResources('AWS::EC2::LaunchTemplate'))[0] as any;
    expect(JSON.stringify(lt.Properties.LaunchTemplateData.UserData)).toContain('DB_WRITER_ENDPOINT=payments-global.global-abc123.global.rds.amazonaws.com');
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3307, ToPort: 3307, Description: 'payment fleet' });
  });
});
