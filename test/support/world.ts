import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { CutoverEndpoint, PaymentProcessorImage, RegionalNetwork, TargetRegionOptions, WeightedCutover } from '../../src';

/*
 * The pieces of a target-region stack that many test folders build the same way (seed values, eu-west-1).
 * Each takes the construct id it has always had, so construct paths in the messages tests match are unchanged.
 */

export const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
/** The source region's load balancer (us-east-1) and the target region's (eu-west-1). */
export const SOURCE_ALB = { dnsName: 'source-alb-123.us-east-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' };
export const TARGET_ALB = { dnsName: 'target-alb-456.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' };

/** The target region's stack (`Target`, eu-west-1) and its network (`Network`): 10.1.0.0/16 over three AZs. */
export function targetStack(): { stack: Stack; network: RegionalNetwork } {
  const stack = new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'eu-west-1' } });
  const network = new RegionalNetwork(stack, 'Network', { cidr: '10.1.0.0/16', availabilityZones: AZS });
  return { stack, network };
}

/** GIVEN the target region's network (a fresh {@link targetStack}), WHEN `make` adds the construct under test (`db`). */
export function onTargetNetwork<T>(make: (stack: Stack, network: RegionalNetwork) => T): { stack: Stack; network: RegionalNetwork; db: T } {
  const { stack, network } = targetStack();
  return { stack, network, db: make(stack, network) };
}

/** What was built, with its stack's template. */
export function synthesized<B extends { stack: Stack }>(built: B): B & { template: Template } {
  return { ...built, template: Template.fromStack(built.stack) };
}

/** 10.1.0.0/16 over three AZs with the VPN to the datacenter (192.168.0.0/16) and the Secrets Manager endpoint DMS reads through. */
export function datacenterNetwork(scope: Construct, id = 'Network'): RegionalNetwork {
  return new RegionalNetwork(scope, id, {
    cidr: '10.1.0.0/16',
    availabilityZones: AZS,
    interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
    onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
  });
}

/** Weighted records in pay.example.com from the source region's load balancer to the target region's. */
export function weightedShifter(scope: Construct, id = 'Dns', recordNames = ['api']): WeightedCutover {
  return new WeightedCutover(scope, id, {
    zoneName: 'pay.example.com',
    recordNames,
    source: CutoverEndpoint.fromLoadBalancerAttributes(SOURCE_ALB),
    target: CutoverEndpoint.fromLoadBalancerAttributes(TARGET_ALB),
  });
}

/** An alarm that needs 3 minutes to fire: a 1-minute metric over 3 datapoints, threshold 5 (by default the ALB's 5XX count). */
export function threeMinuteAlarm(scope: Construct, id = 'Errors', namespace = 'AWS/ApplicationELB', metricName = 'HTTPCode_Target_5XX_Count'): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({ namespace, metricName, period: Duration.minutes(1) }),
    threshold: 5,
    evaluationPeriods: 3,
  });
}

/** Fewer than `threshold` healthy hosts behind the load balancer, over 2 minutes. */
export function healthyHostsAlarm(scope: Construct, threshold: number, id = 'HealthyHosts'): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', period: Duration.minutes(1) }),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 2,
  });
}

/** The seed's source region (S1): us-east-1, its VPC, load balancer and global database writer endpoint. */
export const SEED_SOURCE = {
  region: 'us-east-1',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  cidr: '10.0.0.0/16',
  loadBalancerDnsName: 'payments-123456789.us-east-1.elb.amazonaws.com',
  loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K',
  globalWriterEndpoint: 'payments-global.global-abc123.global.rds.amazonaws.com',
};

/** The seed's fleet: the processor image and an imported certificate (construct id `Cert`) of the stack's region. */
export function seedFleet(stack: Stack): { image: PaymentProcessorImage; certificate: acm.ICertificate } {
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${stack.region}:${stack.account}:certificate/11111111-2222-3333-4444-555555555555`);
  return { image: PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:1'), certificate };
}

/** The seed's target region (S1): from SEED_SOURCE, 10.1.0.0/16 over three AZs, `fleet`, weighted api and checkout. */
export function seedTarget(fleet: TargetRegionOptions['fleet']): TargetRegionOptions {
  return {
    source: SEED_SOURCE,
    network: { cidr: '10.1.0.0/16', availabilityZones: AZS },
    fleet,
    dns: { zoneName: 'pay.example.com', recordNames: ['api', 'checkout'] },
  };
}
