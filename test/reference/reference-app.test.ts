import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceMigration } from '../../examples/reference/app';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { expectNoNagFindings } from '../support/nag';
import { bundleHandler } from '../weighted-cutover/bundle';

describe('the reference migration (seed S1), one PaymentMigration per region', () => {
  bundleHandler();
  bundlePeerRoutesHandler();
  const { source, target } = buildReferenceMigration(new App());
  const t = Template.fromStack(target);

  test('network, database, fleet, weighted records, orchestrator and dashboard together: zero unacknowledged findings in the three packs', () => {
    expectNoNagFindings(target);
  });

  test('the source side is the global database only, and clean too', () => {
    const s = Template.fromStack(source);
    s.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    s.hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'payments-global' });
    expect(Object.keys(s.toJSON().Resources)).toHaveLength(1);
    expectNoNagFindings(source);
  });

  test('both sides agree on the global cluster by name: no cross-region reference', () => {
    t.hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'payments-global' });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader|CrossRegion/);
  });

  test('the target stack stays within half of CloudFormation\'s resource limit', () => {
    expect(Object.keys(t.toJSON().Resources).length).toBeLessThanOrEqual(250);
  });

  test('the fleet writes through the global writer endpoint, and the database admits only the fleet', () => {
    const lt = Object.values(t.findResources('AWS::EC2::LaunchTemplate'))[0] as any;
    expect(JSON.stringify(lt.Properties.LaunchTemplateData.UserData)).toContain('DB_WRITER_ENDPOINT=payments-global.global-abc123.global.rds.amazonaws.com');
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3307, ToPort: 3307, Description: 'payment fleet' });
  });
});
