import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CutoverEndpoint } from './cutover-endpoint';
import { AlarmOptions, ConstructBaseOptions } from '../construct-options';

/** The two sides of a cutover. */
export enum CutoverSide {
  /** Where traffic is today (the old region or the datacenter). */
  SOURCE = 'source',
  /** Where traffic is going. */
  TARGET = 'target',
}

/**
 * HTTPS health checks of both sides.
 */
export interface CutoverHealthCheckOptions {
  /**
   * Create HTTPS health checks of both sides.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The path requested, starting with `/`.
   *
   * @default '/health'
   */
  readonly path?: string;

  /**
   * Seconds between checks by each checker: 10 or 30 (fixed at creation; 10 costs more).
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Consecutive failures (or successes) before the status changes, 1 to 10.
   *
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * The HTTPS port.
   *
   * @default 443
   */
  readonly port?: number;
}

/**
 * The zone and the names moved together: what `PaymentMigration` takes as `side.dns`.
 */
export interface CutoverRecordsOptions {
  /**
   * An existing hosted zone holding the records. Exclusive with `zoneName`; its `zoneName` must be known (use
   * `HostedZone.fromHostedZoneAttributes`, not `fromHostedZoneId`).
   *
   * @default - a public hosted zone named `zoneName` is created
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The name of a public hosted zone to create. Exclusive with `hostedZone`.
   *
   * @default - `hostedZone` is used
   */
  readonly zoneName?: string;

  /**
   * The names that move, relative to the zone (`api`) or fully qualified (`api.example.com`); all inside the zone.
   * Each gets one weighted record per side.
   */
  readonly recordNames: string[];
}

/**
 * Properties for {@link WeightedCutover}.
 *
 * Here `encryptionKey` encrypts the records function's log group; `removalPolicy` governs that log group and the key
 * created here; `alarmActions` serve the health-check alarms (in us-east-1 stacks); `createOutputs` adds the hosted
 * zone id and the record names.
 */
export interface WeightedCutoverProps extends CutoverRecordsOptions, ConstructBaseOptions, AlarmOptions {
  /** Where traffic is today. */
  readonly source: CutoverEndpoint;

  /** Where traffic is going. Its records must be of the same type as the source's (both A, both AAAA or both CNAME). */
  readonly target: CutoverEndpoint;

  /**
   * The set identifier of the source side's records.
   *
   * @default 'source'
   */
  readonly sourceSetIdentifier?: string;

  /**
   * The set identifier of the target side's records.
   *
   * @default 'target'
   */
  readonly targetSetIdentifier?: string;

  /**
   * The share of traffic (0–100) the target gets when the records are created. Later deployments never change the
   * live weights: they belong to the orchestrator and operators once the records exist.
   *
   * @default 0
   */
  readonly initialTargetPercent?: number;

  /**
   * HTTPS health checks of both sides, attached to their records.
   *
   * @default - HTTPS checks of `/health` on port 443 every 30 s, threshold 3
   */
  readonly healthCheck?: CutoverHealthCheckOptions;

  /**
   * An alarm that takes the source side out of DNS answers while it is in ALARM (an alarm-based health check:
   * no API call needed). Standard-resolution, single-metric alarms only.
   *
   * @default - none
   */
  readonly sourceAlarm?: cloudwatch.IAlarm;

  /**
   * An alarm that takes the target side out of DNS answers while it is in ALARM — the data-plane rollback path.
   * Standard-resolution, single-metric alarms only.
   *
   * @default - none
   */
  readonly targetAlarm?: cloudwatch.IAlarm;
}
