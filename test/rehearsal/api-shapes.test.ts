import { unknownMembers } from '../../src/rehearsal/api-shapes';
import { resolveIntrinsics } from '../../src/rehearsal/resolve-template';

describe('the rehearsal refuses request members a real AWS API would reject', () => {
  test.each<[string, unknown, string[]]>([
    ['API-reference casing in a Route 53 record (Step Functions wants Ttl)', {
      HostedZoneId: 'Z1',
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a', Type: 'A', SetIdentifier: 's', Weight: 1, TTL: 60 } }] },
    }, ['ChangeBatch.Changes[0].ResourceRecordSet.TTL']],
    ['DNSName in an alias target (Step Functions wants DnsName)', {
      HostedZoneId: 'Z1',
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a', AliasTarget: { HostedZoneId: 'Z', DNSName: 'x', EvaluateTargetHealth: true } } }] },
    }, ['ChangeBatch.Changes[0].ResourceRecordSet.AliasTarget.DNSName']],
    ['the right casing', {
      HostedZoneId: 'Z1',
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a', Type: 'A', SetIdentifier: 's', Weight: 1, Ttl: 60, ResourceRecords: [{ Value: '1.2.3.4' }] } }] },
    }, []],
  ])('route53:changeResourceRecordSets — %s', (_n, params, expected) => {
    expect(unknownMembers('route53:changeResourceRecordSets', params)).toEqual(expected);
  });

  test('RDS identifiers use Db, not DB', () => {
    expect(unknownMembers('rds:describeDBClusters', { DBClusterIdentifier: 'x' })).toEqual(['DBClusterIdentifier']);
    expect(unknownMembers('rds:describeDBClusters', { DbClusterIdentifier: 'x' })).toEqual([]);
  });

  test('an API the rehearsal does not simulate is reported, not passed through', () => {
    expect(unknownMembers('dynamodb:putItem', {})).toEqual(['dynamodb:putItem (not simulated)']);
  });
});

describe('resolving a synthesized definition', () => {
  test('Fn::Join, Ref, Fn::GetAtt and pseudo parameters become placeholders', () => {
    const value = { 'Fn::Join': ['', ['{"a":"', { Ref: 'MyAlarm' }, '","b":"', { 'Fn::GetAtt': ['Topic', 'Arn'] }, '","c":"arn:', { Ref: 'AWS::Partition' }, ':x:', { Ref: 'AWS::Region' }, '"}']] };
    expect(JSON.parse(resolveIntrinsics(value, { region: 'eu-west-1' }) as string)).toEqual({
      a: 'MyAlarm',
      b: 'arn:aws:rehearsal:eu-west-1:111111111111:Topic/Arn',
      c: 'arn:aws:x:eu-west-1',
    });
  });
});
