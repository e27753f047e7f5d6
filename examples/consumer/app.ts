/**
 * The reference migration as a user's CDK app would write it: the library comes from its packed npm tarball (what
 * users get from npm), aws-cdk-lib is current, and synth-time validation plugins run over it — any unacknowledged
 * finding fails `cdk synth`:
 * - the three cdk-nag packs;
 * - every AWS Control Tower proactive control (`@cdklabs/cdk-validator-cfnguard`, all 237 bundled rules), where
 *   only the controls of the library's documented by-design list may fail (../../test/system/compliance/
 *   control-tower-by-design.json, docs/compliance.md). The list is applied per violating resource:
 *   the plugin's own conclusion is not trusted, and run.sh counts the violations again with the cfn-guard binary.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { MigrationSide, PaymentMigration, PaymentProcessorImage } from 'cdk-payment-migration';
import { controlsByRule, controlTowerRulesDir, reportedTypesByControl } from '../../test/system/compliance/cfn-guard';
import { CONTROL_TOWER_BY_DESIGN, covers, readList } from '../../test/system/compliance/findings';

/** The Control Tower plugin with every rule, reporting only the violations outside the documented by-design list. */
class ControlTowerOutsideByDesign implements IPolicyValidationPlugin {
  public readonly name = 'control-tower-outside-by-design';
  private readonly guard = new CfnGuardValidator({ controlTowerRulesEnabled: true });
  private readonly byDesign = readList(CONTROL_TOWER_BY_DESIGN);
  private readonly controls = controlsByRule(controlTowerRulesDir(__dirname));
  private readonly reportsOn = reportedTypesByControl(controlTowerRulesDir(__dirname));

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = new Map<string, any>();
    const template = (file: string) => templates.get(file) ?? templates.set(file, JSON.parse(fs.readFileSync(file, 'utf-8'))).get(file);
    const violations: PolicyViolation[] = [];
    const reported = this.guard.validate(context).violations;
    const isResource = (r: { templatePath: string; resourceLogicalId: string }) => template(r.templatePath).Resources?.[r.resourceLogicalId] !== undefined;
    for (const v of reported) {
      const control = this.controls.get(v.ruleName) ?? v.ruleName;
      // The plugin names no resource when cfn-guard's failing check points into the rule's own constants (e.g.
      // the list of log types of CT.RDS.PR.25): count it against every resource of a type the control reports on.
      const resources = v.violatingResources.filter(isResource);
      if (resources.length === 0) {
        for (const file of new Set(v.violatingResources.map((r) => r.templatePath))) {
          for (const [id, r] of Object.entries<any>(template(file).Resources ?? {})) {
            if ((this.reportsOn.get(control) ?? []).includes(r.Type)) resources.push({ resourceLogicalId: id, templatePath: file, locations: [] });
          }
        }
      }
      if (resources.length === 0) resources.push(...v.violatingResources);
      const outside = resources.filter((r) => {
        const resource = template(r.templatePath).Resources?.[r.resourceLogicalId];
        return !this.byDesign.some((e) => covers(e, {
          rule: control,
          template: path.basename(r.templatePath),
          logicalId: r.resourceLogicalId,
          type: resource?.Type ?? '',
          constructPath: resource?.Metadata?.['aws:cdk:path'] ?? r.resourceLogicalId,
          location: r.locations.join(' '),
          message: v.description,
        }));
      });
      if (outside.length > 0) violations.push({ ...v, ruleName: `${control} ${v.ruleName}`, violatingResources: outside });
    }
    return { success: violations.length === 0, violations };
  }
}

const app = new App();
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new PCIDSS321Checks(app),
  new NIST80053R5Checks(app),
  new ControlTowerOutsideByDesign(),
);

const account = '111111111111';
const source = new Stack(app, 'PaymentSource', { env: { account, region: 'us-east-1' } });
new PaymentMigration(source, 'Migration', {
  name: 'payments',
  side: MigrationSide.sourceRegion({ primaryClusterArn: `arn:aws:rds:us-east-1:${account}:cluster:payments` }),
});

const target = new Stack(app, 'PaymentTarget', { env: { account, region: 'eu-west-1' } });
new PaymentMigration(target, 'Migration', {
  name: 'payments',
  side: MigrationSide.targetRegion({
    source: {
      region: 'us-east-1',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      cidr: '10.0.0.0/16',
      routeTableIds: ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'],
      loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
      loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
      engineVersion: '8.0.mysql_aurora.3.10.0',
      globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
    },
    network: { cidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    fleet: {
      image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:2026.11.1'),
      certificate: acm.Certificate.fromCertificateArn(target, 'Certificate', `arn:aws:acm:eu-west-1:${account}:certificate/11111111-2222-3333-4444-555555555555`),
    },
    dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
  }),
});

app.synth();
