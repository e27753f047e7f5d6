/**
 * The deploy-time pre-flight (preflight.ts) over every template of both reference migrations: what CloudFormation
 * checks before it creates any resource.
 */
import { describe as line } from './findings';
import { preflight, PreflightTemplate, ResourceSchemas } from './preflight';
import { referenceTemplates } from './templates';

describe('deploy-time pre-flight of the reference migrations', () => {
  const schemas = new ResourceSchemas();

  test('no SSM-typed parameter names a parameter the app creates, every Fn::GetAtt exists, no parameter beyond the ones CDK adds', () => {
    const templates = referenceTemplates();
    const findings = preflight(templates.map((t) => ({ name: t.name, app: t.app, region: t.region, template: t.template })), schemas);
    console.log(`pre-flight over ${templates.length} templates: ${findings.length} findings`);
    expect(findings.map(line)).toEqual([]);
  }, 180_000);

  describe('the checks themselves', () => {
    const template = (t: Partial<PreflightTemplate['template']>, name = 'app/Stack'): PreflightTemplate => ({ name, app: 'app', region: 'us-east-1', template: { Resources: {}, ...t } });
    const ssmParam = (name: string) => ({ Type: 'AWS::SSM::Parameter::Value<String>', Default: name });

    test('an SSM-typed parameter naming a parameter the same stack creates (AWS::SSM::Parameter) is found', () => {
      const t = template({ Parameters: { P: ssmParam('/x/writer') }, Resources: { W: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/x/writer', Type: 'String', Value: 'SOURCE' } } } });
      expect(preflight([t], schemas).map((f) => f.rule)).toEqual(['PREFLIGHT-SSM']);
    });

    test('…or that a create-only AwsCustomResource writes with putParameter, in another stack of the app', () => {
      const writer = template({ Resources: { W: { Type: 'Custom::Writer', Properties: { Create: JSON.stringify({ service: 'SSM', action: 'putParameter', parameters: { Name: '/x/writer', Value: 'SOURCE' } }) } } } }, 'app/Writer');
      const reader = template({ Parameters: { P: ssmParam('/x/writer') } }, 'app/Reader');
      expect(preflight([writer, reader], schemas).map((f) => `${f.rule} ${f.template}`)).toEqual(['PREFLIGHT-SSM app/Reader']);
    });

    test('BootstrapVersion and public AWS parameters (the AMI) pass; a plain parameter, or one without a default, does not', () => {
      const t = template({
        Parameters: {
          BootstrapVersion: ssmParam('/cdk-bootstrap/hnb659fds/version'),
          Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64' },
          Plain: { Type: 'String', Default: 'x' },
          NoDefault: { Type: 'AWS::SSM::Parameter::Value<String>' },
        },
      });
      expect(preflight([t], schemas).map((f) => `${f.rule} ${f.logicalId}`)).toEqual(['PREFLIGHT-PARAMETER Plain', 'PREFLIGHT-PARAMETER NoDefault']);
    });

    test('Fn::GetAtt of an attribute the type lacks, or of a missing resource, is found; custom resources and older property attributes pass', () => {
      const t = template({
        Resources: {
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
          Key: { Type: 'AWS::KMS::Key', Properties: {} },
          Cr: { Type: 'Custom::Thing', Properties: {} },
          User: {
            Type: 'AWS::SSM::Parameter',
            Properties: {
              Type: 'String',
              Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, { 'Fn::GetAtt': ['Key', 'Arn'] }, { 'Fn::GetAtt': ['Cr', 'Anything'] }, { 'Fn::GetAtt': ['Key', 'KeyArn'] }, { 'Fn::GetAtt': 'Gone.Arn' }]] },
            },
          },
        },
      });
      expect(preflight([t], schemas).map((f) => f.message)).toEqual([
        expect.stringMatching(/^Fn::GetAtt Key\.KeyArn: AWS::KMS::Key has no attribute KeyArn \(it has: Arn, KeyId\)$/),
        expect.stringMatching(/^Fn::GetAtt names Gone, which is not a resource of the template$/),
      ]);
    });
  });
});
