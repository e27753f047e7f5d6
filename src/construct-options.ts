import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What every construct of this library that keeps something takes: the key it encrypts with, what happens to what it
 * keeps when it is removed, and its stack outputs. The props of each construct say what these cover there.
 */
export interface ConstructBaseOptions {
  /**
   * The customer-managed key for what this construct encrypts (its log groups, and what its props name besides), in
   * this stack's region. Its policy must let the services that use it do so (CloudWatch Logs, and the services its
   * props name); a key created here has those statements.
   *
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to what this construct keeps (the key created here, its log groups, and the data its props name) when
   * it is removed from the stack. `RemovalPolicy.DESTROY` is for stacks that must be torn down completely.
   *
   * @default - RemovalPolicy.RETAIN; RemovalPolicy.SNAPSHOT for `AuroraTargetCluster` and `AuroraGlobalSecondary` (a
   * final snapshot of the cluster, whose key and log groups are retained)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Add stack outputs: the names, ARNs and endpoints an operator or another stack needs (the construct's props list
   * them).
   *
   * @default true
   */
  readonly createOutputs?: boolean;
}

/**
 * What every construct of this library that creates alarms takes.
 */
export interface AlarmOptions {
  /**
   * Actions for the alarms this construct creates, on ALARM and on OK.
   *
   * @default - none: no alarm notifies anyone (cdk-nag reports each one). An orchestrator polls those it is
   * given as gates; `PaymentMigration` sends every alarm to its topic
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * What every construct of this library whose log retention can be chosen takes.
 */
export interface LogRetentionOptions {
  /**
   * How long the logs this construct exports are kept (its props say which). At least one year (PCI DSS 10.5.1): a
   * shorter retention is refused.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}
