import { onPremises } from './fixtures';

describe('the AWS fleet acknowledges the writer value it enforces (the fence contract), wired by PaymentMigration', () => {
  const { template } = onPremises();
  const t = template.toJSON() as any;
  const tableId = Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'AWS::DynamoDB::Table' && /OrchestratorRecord/.test(id))!;

  test('the fleet\'s role may UpdateItem the record\'s `fences` item, attribute `aws` only, nothing else of the table', () => {
    const statements = Object.values<any>(t.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('MigrationFleet'))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).includes(tableId));
    expect(onTable).toHaveLength(1);
    expect(onTable[0].Action).toBe('dynamodb:UpdateItem');
    expect(onTable[0].Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['fences'], 'dynamodb:Attributes': ['pk', 'aws'] },
      'StringEqualsIfExists': { 'dynamodb:ReturnValues': 'NONE' },
    });
  });

  test('the fleet is told where and under which name to acknowledge (DB_WRITER_ACK_TABLE, DB_WRITER_ACK_FLEET)', () => {
    const launch = Object.values<any>(t.Resources).find((r) => r.Type === 'AWS::EC2::LaunchTemplate');
    const parts: any[] = launch.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
    const at = parts.findIndex((p) => typeof p === 'string' && p.endsWith('DB_WRITER_ACK_TABLE='));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(parts[at + 1]).toEqual({ Ref: tableId });
    expect(parts[at + 2]).toMatch(/^\nDB_WRITER_ACK_FLEET=aws\n/);
  });
});
