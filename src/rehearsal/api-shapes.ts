/**
 * The request members each simulated API accepts, with Step Functions SDK-integration casing (the AWS SDK for
 * Java v2 member names: `DbClusterIdentifier`, `Ttl`, `DnsName`). A state that sends anything else is a bug that
 * would fail on AWS, so the rehearsal refuses it instead of passing it through.
 */
type Shape = true | { readonly [member: string]: Shape } | readonly [Shape];

const RECORD_SET: Shape = {
  Name: true,
  Type: true,
  SetIdentifier: true,
  Weight: true,
  Ttl: true,
  HealthCheckId: true,
  ResourceRecords: [{ Value: true }],
  AliasTarget: { HostedZoneId: true, DnsName: true, EvaluateTargetHealth: true },
};

export const API_SHAPES: Record<string, Shape> = {
  'cloudwatch:describeAlarms': { AlarmNames: true, AlarmTypes: true, StateValue: true },
  'cloudwatch:putMetricData': { Namespace: true, MetricData: [{ MetricName: true, Dimensions: [{ Name: true, Value: true }], Value: true, Unit: true }] },
  'ssm:getParameter': { Name: true, WithDecryption: true },
  'ssm:putParameter': { Name: true, Value: true, Overwrite: true, Type: true },
  'route53:changeResourceRecordSets': { HostedZoneId: true, ChangeBatch: { Comment: true, Changes: [{ Action: true, ResourceRecordSet: RECORD_SET }] } },
  'route53:getChange': { Id: true },
  'sfn:listExecutions': { StateMachineArn: true, StatusFilter: true },
  'sfn:stopExecution': { ExecutionArn: true, Error: true, Cause: true },
  'sfn:describeExecution': { ExecutionArn: true },
  // The optimized integration (a child execution, waited for): StartExecution's request; Input may be JSON.
  'states:startExecution.sync:2': { StateMachineArn: true, Input: true, Name: true, TraceHeader: true },
  // ChecksumAlgorithm: PutObject API reference (x-amz-sdk-checksum-algorithm), needed under an Object Lock default retention
  's3:putObject': { Bucket: true, Key: true, Body: true, ContentType: true, ChecksumAlgorithm: true },
  'rds:describeDBClusters': { DbClusterIdentifier: true },
  'rds:describeGlobalClusters': { GlobalClusterIdentifier: true },
  'rds:switchoverGlobalCluster': { GlobalClusterIdentifier: true, TargetDbClusterIdentifier: true },
  'elasticloadbalancingv2:describeTargetHealth': { TargetGroupArn: true },
  // ModifyListener's DefaultActions: Action (Type, ForwardConfig: TargetGroups, TargetGroupStickinessConfig)
  'elasticloadbalancingv2:modifyListener': {
    ListenerArn: true,
    DefaultActions: [{
      Type: true,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: true, Weight: true }],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: true },
      },
    }],
  },
  'elasticloadbalancingv2:describeListeners': { ListenerArns: true, LoadBalancerArn: true, Marker: true, PageSize: true },
  'cloudwatch:getMetricData': {
    StartTime: true,
    EndTime: true,
    ScanBy: true,
    MetricDataQueries: [{
      Id: true,
      Expression: true,
      Label: true,
      ReturnData: true,
      MetricStat: { Metric: { Namespace: true, MetricName: true, Dimensions: [{ Name: true, Value: true }] }, Period: true, Stat: true },
    }],
  },
  'databasemigration:describeReplicationTasks': { Filters: [{ Name: true, Values: true }], WithoutSettings: true, MaxRecords: true },
  // CdcStartTime is a timestamp (Step Functions passes ISO-8601 strings); CdcStartPosition / CdcStopPosition strings.
  'databasemigration:startReplicationTask': { ReplicationTaskArn: true, StartReplicationTaskType: true, CdcStartTime: true, CdcStartPosition: true, CdcStopPosition: true },
  'databasemigration:stopReplicationTask': { ReplicationTaskArn: true },
  'databasemigration:describeTableStatistics': { ReplicationTaskArn: true, MaxRecords: true, Marker: true, Filters: [{ Name: true, Values: true }] },
  // DynamoDB's optimized integration (arn:aws:states:::dynamodb:updateItem) takes the UpdateItem request as is.
  'dynamodb:updateItem': {
    TableName: true,
    Key: true,
    UpdateExpression: true,
    ConditionExpression: true,
    ExpressionAttributeNames: true,
    ExpressionAttributeValues: true,
    ReturnValues: true,
    ReturnValuesOnConditionCheckFailure: true,
  },
  'dynamodb:getItem': { TableName: true, Key: true, ConsistentRead: true, ProjectionExpression: true, ExpressionAttributeNames: true },
  'sns:publish': { TopicArn: true, Message: true, Subject: true },
  'sns:publish.waitForTaskToken': { TopicArn: true, Message: true, Subject: true },
};

/** Every member of `params` the API does not know, as paths (`ChangeBatch.Changes[0].ResourceRecordSet.TTL`). */
export function unknownMembers(api: string, params: unknown): string[] {
  const shape = API_SHAPES[api];
  if (!shape) return [`${api} (not simulated)`];
  const found: string[] = [];
  const walk = (value: unknown, s: Shape, path: string) => {
    if (s === true || value === null || typeof value !== 'object') return;
    if (Array.isArray(s)) {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, (s as readonly [Shape])[0], `${path}[${i}]`));
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const member = (s as Record<string, Shape>)[key];
      if (member === undefined) found.push(path ? `${path}.${key}` : key);
      else walk(v, member, path ? `${path}.${key}` : key);
    }
  };
  walk(params, shape, '');
  return found;
}
