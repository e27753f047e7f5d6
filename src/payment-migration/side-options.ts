import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CutoverSteps } from '../migration-orchestrator/cutover-steps';
import { PaymentProcessorImage } from '../payment-fleet/container-image';

/** The network of the side being built (the target region, or the AWS side of a datacenter migration). */
export interface NetworkOptions {
  /** The target VPC's CIDR block; must not overlap the source's. */
  readonly cidr: string;
  /**
   * The AZs.
   *
   * @default - the first three of the stack's region
   */
  readonly availabilityZones?: string[];
  /**
   * NAT gateways.
   *
   * @default - one per AZ
   */
  readonly natGateways?: number;
}

/** The payment fleet of the side being built. */
export interface FleetOptions {
  /** The payment processor image. */
  readonly image: PaymentProcessorImage;
  /** The listener certificate, in the target region. */
  readonly certificate: acm.ICertificate;
  /**
   * The port the container serves HTTPS on (inside the container).
   *
   * @default 8443
   */
  readonly containerPort?: number;
  /**
   * The port the load balancer sends HTTPS to on the instances (the target group's port), which the host maps to
   * `containerPort`.
   *
   * @default 443
   */
  readonly targetPort?: number;
  /**
   * Instance type.
   *
   * @default t3.medium
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Minimum instances.
   *
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * Maximum instances.
   *
   * @default 6
   */
  readonly maxCapacity?: number;
  /**
   * Environment of the container (the database endpoints are added).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}


/** The weighted records that move traffic from the source to the target. */
export interface DnsOptions {
  /**
   * An existing hosted zone. Exclusive with `zoneName`.
   *
   * @default - a public zone named `zoneName` is created
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The zone to create. Exclusive with `hostedZone`.
   *
   * @default - `hostedZone` is used
   */
  readonly zoneName?: string;
  /** The record names moved together (`api`, `checkout`, …). */
  readonly recordNames: string[];
}

/** The cutover: the workflow that moves traffic step by step and then the database writer. */
export interface CutoverOptions {
  /**
   * Steps.
   *
   * @default CutoverSteps.linear(4)
   */
  readonly steps?: CutoverSteps;
  /**
   * Bake of each step.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
  /**
   * Acknowledges a bake shorter than the gating alarms' evaluation window (see
   * `MigrationOrchestratorProps.allowBakeShorterThanAlarms`): for rehearsals and non-production stages only.
   *
   * @default false
   */
  readonly allowBakeShorterThanAlarms?: boolean;
  /**
   * Gate and control polling.
   *
   * @default Duration.seconds(10)
   */
  readonly pollInterval?: Duration;
  /**
   * End with the database phase: the Aurora switchover (planned, RPO 0) on the cross-region path, the single-writer
   * move to Aurora on the on-premises path.
   *
   * @default true
   */
  readonly switchover?: boolean;
  /**
   * Approval before the first step.
   *
   * @default false
   */
  readonly approveBeforeFirstStep?: boolean;
  /**
   * Wait for an operator's approval (on the notification topic) before the database phase.
   *
   * @default - false with `MigrationSide.targetRegion` (the Aurora switchover is planned and lossless); true with
   * `MigrationSide.datacenterToAws`, where an operator confirms the legacy side takes no more traffic before writes
   * move to Aurora
   */
  readonly approveBeforeSwitchover?: boolean;
}
