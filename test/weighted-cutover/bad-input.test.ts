import { Duration, Fn } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { bundleHandler } from './bundle';
import { CutoverEndpoint, WeightedCutover, WeightedCutoverProps } from '../../src';
import { Control, expectAccepted, expectRefused, foreignKey, foreignTopic, newStack, Row } from '../support/bad-input';

// GIVEN one stack in eu-west-1 shared by every row (a refused construct adds nothing to it)
const stack = newStack('Dns');
const EU_ALB = { dnsName: 'target-alb-456.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z32O12XQLNTSW2' };
const US_ALB = { dnsName: 'source-alb-123.us-east-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' };

function dns(id: string, props: Partial<WeightedCutoverProps> | Record<string, unknown>): WeightedCutover {
  return new WeightedCutover(stack, id, {
    zoneName: 'pay.example.com',
    recordNames: ['api'],
    source: CutoverEndpoint.fromLoadBalancerAttributes(US_ALB),
    target: CutoverEndpoint.fromLoadBalancerAttributes(EU_ALB),
    ...props,
  } as WeightedCutoverProps);
}
const legacy = (ips: string[], more: Record<string, unknown> = {}) =>
  (id: string) => dns(id, { source: CutoverEndpoint.fromIpAddresses(ips), ...more });

const W = 'WeightedCutover';
const rows: Row[] = [
  // --- Region mismatches: alias targets use the canonical zone of the load balancer's own region
  ['an ALB in eu-west-1 with us-east-1\'s zone id', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' }) }), W,
    /`target.canonicalHostedZoneId` must be Z32O12XQLNTSW2, the canonical hosted zone of load balancers in eu-west-1 .*Z35SXDOTRQ7X7K is us-east-1's.*got: "Z35SXDOTRQ7X7K"/],
  ['an ALB in us-east-1 with eu-west-1\'s zone id', (id) => dns(id, { source: CutoverEndpoint.fromLoadBalancerAttributes({ ...US_ALB, canonicalHostedZoneId: 'Z32O12XQLNTSW2' }) }), W,
    /`source.canonicalHostedZoneId` must be Z35SXDOTRQ7X7K.*got: "Z32O12XQLNTSW2"/],
  ['an ALB in ap-southeast-2 with a made-up zone id', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: 'internal-x-1.ap-southeast-2.elb.amazonaws.com', canonicalHostedZoneId: 'Z1ABCDEFGHIJKL' }) }), W,
    /`target.canonicalHostedZoneId` must be Z1GM3OXH4ZPM65, the canonical hosted zone of load balancers in ap-southeast-2.*got: "Z1ABCDEFGHIJKL"/],
  ['a dualstack ALB name with another region\'s zone', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: 'dualstack.target-alb-456.eu-west-1.elb.amazonaws.com', canonicalHostedZoneId: 'ZHURV8PSTC4K8' }) }), W,
    /`target.canonicalHostedZoneId` must be Z32O12XQLNTSW2.*ZHURV8PSTC4K8 is eu-west-2's/],
  ['an alarm action on a topic of another region', (id) => dns(id, { alarmActions: [new actions.SnsAction(foreignTopic(stack))] }), W,
    /`alarmActions\[0\]` must notify a topic in the stack's region eu-west-1 \(CloudWatch alarm actions publish to SNS topics of the alarm's own region\), not us-east-1, got: "arn:aws:sns:us-east-1:/],
  ['an internal load balancer, health-checked from the internet', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, dnsName: 'internal-payments-456.eu-west-1.elb.amazonaws.com' }) }), W,
    /`target.dnsName` must be an internet-facing load balancer: an `internal-…` load balancer resolves to private addresses.*got: "internal-payments-456.eu-west-1.elb.amazonaws.com"/],
  ['a records-function key from another region', (id) => dns(id, { encryptionKey: foreignKey(stack) }), W,
    /`encryptionKey` must be in the stack's region eu-west-1 \(KMS keys are regional.*\), not us-east-1, got: "arn:aws:kms:us-east-1:/],

  // --- Addresses Route 53 cannot health-check
  ['a private (RFC 1918, 10/8) legacy IP', legacy(['10.20.30.40']), W, /`source.ipAddresses\[0\]` must be an address reachable from the internet: it is a private address \(RFC 1918\).*healthCheck: \{ enabled: false \}.*sourceAlarm.*got: "10.20.30.40"/],
  ['a private (172.16/12) legacy IP', legacy(['52.94.76.10', '172.16.5.4']), W, /`source.ipAddresses\[1\]` .*a private address \(RFC 1918\).*got: "172.16.5.4"/],
  ['a private (192.168/16) legacy IP', legacy(['192.168.1.10']), W, /`source.ipAddresses\[0\]` .*private address.*got: "192.168.1.10"/],
  ['a loopback legacy IP', legacy(['127.0.0.1']), W, /`source.ipAddresses\[0\]` .*a loopback address.*got: "127.0.0.1"/],
  ['a link-local legacy IP', legacy(['169.254.10.10']), W, /`source.ipAddresses\[0\]` .*a link-local address.*got: "169.254.10.10"/],
  ['a carrier-grade NAT legacy IP', legacy(['100.64.0.10']), W, /`source.ipAddresses\[0\]` .*carrier-grade NAT.*got: "100.64.0.10"/],
  ['a documentation (TEST-NET-1) legacy IP', legacy(['192.0.2.10']), W, /`source.ipAddresses\[0\]` .*documentation address \(RFC 5737, TEST-NET-1\).*got: "192.0.2.10"/],
  ['a documentation (TEST-NET-3) legacy IP', legacy(['203.0.113.10']), W, /`source.ipAddresses\[0\]` .*TEST-NET-3.*got: "203.0.113.10"/],
  ['a benchmarking legacy IP', legacy(['198.18.0.10']), W, /`source.ipAddresses\[0\]` .*benchmarking.*got: "198.18.0.10"/],
  ['a multicast legacy IP', legacy(['224.0.0.10']), W, /`source.ipAddresses\[0\]` .*multicast.*got: "224.0.0.10"/],
  ['an IPv6 link-local legacy IP', legacy(['fe80::10']), W, /`source.ipAddresses\[0\]` .*link-local address \(fe80::\/10\).*got: "fe80::10"/],
  ['an IPv6 unique-local legacy IP', legacy(['fd00::10']), W, /`source.ipAddresses\[0\]` .*unique local.*got: "fd00::10"/],
  ['an IPv6 documentation legacy IP', legacy(['2001:db8::10']), W, /`source.ipAddresses\[0\]` .*2001:db8::\/32.*got: "2001:db8::10"/],
  ['an IPv6 loopback legacy IP', legacy(['::1']), W, /`source.ipAddresses\[0\]` .*loopback.*got: "::1"/],
  ['a private legacy IP with HTTPS checks off', legacy(['10.20.30.40'], { healthCheck: { enabled: false } }), W, /`source.ipAddresses\[0\]` must be an address clients on the internet can reach: it is a private address.*got: "10.20.30.40"/],
  ['an internal-only legacy name', (id) => dns(id, { source: CutoverEndpoint.fromDnsName('payments.dc1.local'), target: CutoverEndpoint.fromDnsName('target.example.net') }), W,
    /`source.dnsName` must be a name that resolves on the internet.*got: "payments.dc1.local"/],

  // --- Strings that are almost right
  ['a legacy name with a port', (id) => dns(id, { source: CutoverEndpoint.fromDnsName('legacy.example.net:443'), target: CutoverEndpoint.fromDnsName('target.example.net') }), W,
    /`source.dnsName` must be a host name without a port \(`host:port`\), got: "legacy.example.net:443"/],
  ['a legacy name with a scheme', (id) => dns(id, { source: CutoverEndpoint.fromDnsName('https://legacy.example.net'), target: CutoverEndpoint.fromDnsName('target.example.net') }), W,
    /`source.dnsName` must be a host name, without a scheme \(no `https:\/\/`\), got: "https:\/\/legacy.example.net"/],
  ['an IP given as a legacy name', (id) => dns(id, { source: CutoverEndpoint.fromDnsName('52.94.76.10'), target: CutoverEndpoint.fromDnsName('target.example.net') }), W,
    /`source.dnsName` must be a DNS name, not an IP address: use CutoverEndpoint.fromIpAddresses.*got: "52.94.76.10"/],
  ['an ALB name with a port', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, dnsName: `${EU_ALB.dnsName}:443` }) }), W,
    /`target.dnsName` must be a host name without a port.*got: "target-alb-456.eu-west-1.elb.amazonaws.com:443"/],
  ['a record name with a typo in the domain', (id) => dns(id, { recordNames: ['api.pay.exmaple.com'] }), W,
    /`recordNames\[0\]` must be inside the hosted zone pay.example.com: it reads as a full name in another domain \(a typo in the domain\?\).*got: "api.pay.exmaple.com"/],
  ['a record name in a sibling domain', (id) => dns(id, { recordNames: ['api', 'checkout.example.com'] }), W, /`recordNames\[1\]` must be inside the hosted zone pay.example.com.*got: "checkout.example.com"/],
  ['a record name in another TLD', (id) => dns(id, { recordNames: ['api.pay.example.org'] }), W, /`recordNames\[0\]` must be inside the hosted zone pay.example.com.*got: "api.pay.example.org"/],
  ['an absolute record name outside the zone', (id) => dns(id, { recordNames: ['api.example.net.'] }), W, /`recordNames\[0\]` must be inside the hosted zone pay.example.com, got: "api.example.net."/],
  ['a zone name without a dot', (id) => dns(id, { zoneName: 'example' }), W, /`zoneName` must be a domain name such as example.com, got: "example"/],

  // --- Units and scales
  ['an initial split as a fraction', (id) => dns(id, { initialTargetPercent: 0.5 }), W, /`initialTargetPercent` must be an integer percentage between 0 and 100.*got: 0.5/],
  ['a health-check interval in milliseconds', (id) => dns(id, { healthCheck: { interval: Duration.millis(30) } }), W, /`healthCheck.interval` must be 10 or 30 seconds.*got: "0.03 seconds"/],
  ['a legacy TTL of minutes', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10'], Duration.minutes(5)) }), W, /`source.ttl` must be whole seconds between 1 and 60.*got: "300 seconds"/],
  ['a legacy TTL of a fraction of a millisecond (refused by the library, not by Duration\'s conversion)', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10'], Duration.millis(1500.5)) }), W,
    /`source.ttl` must be whole seconds between 1 and 60.*got: "1.5005 seconds"/],
  ['a TTL of milliseconds on an alias', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, ttl: Duration.millis(500) }) }), W, /`target.ttl` must not be set for a load-balancer alias.*got: 0.5/],
  ['a TTL on an alias', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, ttl: Duration.seconds(60) }) }), W, /`target.ttl` must not be set for a load-balancer alias.*got: 60/],

  // --- Plain JavaScript callers
  ['record names as a string', (id) => dns(id, { recordNames: 'api' as any }), W, /`recordNames` must be a list \(array\) of strings, got: "api"/],
  ['no record names', (id) => dns(id, { recordNames: undefined as any }), W, /`recordNames` is required: it must be a list \(array\) of strings, got: undefined/],
  ['a record name that is a number', (id) => dns(id, { recordNames: ['api', 7] as any }), W, /`recordNames` must be a list \(array\) of strings, got: \["api",7\]/],
  ['a side given as plain attributes', (id) => dns(id, { source: US_ALB as any }), W, /`source` must be a CutoverEndpoint \(CutoverEndpoint.fromLoadBalancer, fromLoadBalancerAttributes, fromIpAddresses or fromDnsName\)/],
  ['no target', (id) => dns(id, { target: undefined as any }), W, /`target` is required: it must be an object, got: undefined/],
  ['IP addresses as one string', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses('52.94.76.10' as any) }), W, /`source.ipAddresses` must be a list \(array\) of strings, got: "52.94.76.10"/],
  ['a TTL as a number', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10'], 30 as any) }), W, /`source.ttl` must be a Duration \(e.g. Duration.seconds\(30\)\), not a bare number or string, got: 30/],
  ['ALB attributes without a zone id', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: EU_ALB.dnsName } as any) }), W, /`target.canonicalHostedZoneId` is required: it must be a string, got: undefined/],
  ['a health-check interval as a number', (id) => dns(id, { healthCheck: { interval: 30 as any } }), W, /`healthCheck.interval` must be a Duration.*got: 30/],
  ['health checks switched off with a string', (id) => dns(id, { healthCheck: { enabled: 'false' as any } }), W, /`healthCheck.enabled` must be a boolean \(true or false\), got: "false"/],
  ['an initial split as a string', (id) => dns(id, { initialTargetPercent: '10' as any }), W, /`initialTargetPercent` must be a number, got: "10"/],
  ['no props at all', (id) => new WeightedCutover(stack, id, undefined as any), W, /`props` must be an object of properties, got: undefined/],
];

const controls: Control[] = [
  ['the ALB zone of each side\'s own region', (id) => dns(id, {})],
  ['a dualstack ALB name with its region\'s zone', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ ...EU_ALB, dnsName: `dualstack.${EU_ALB.dnsName}` }) })],
  ['an ALB behind a custom name (region unknown), any zone id', (id) => dns(id, { target: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: 'alb.payments.example.net', canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' }) })],
  ['ALB attributes as tokens (imported outputs)', (id) => dns(id, { source: CutoverEndpoint.fromLoadBalancerAttributes({ dnsName: Fn.importValue('SourceAlbDns'), canonicalHostedZoneId: Fn.importValue('SourceAlbZone') }) })],
  ['a health check whose interval is null (plain JavaScript: not given, the default applies)', (id) => dns(id, { healthCheck: { interval: null as any } })],
  ['public legacy IPv4 addresses, TTL 60 s (the limit)', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['52.94.76.10', '52.94.76.11'], Duration.seconds(60)) })],
  ['a public legacy IPv6 address, TTL 1 s', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['2600:1f18::10'], Duration.seconds(1)), target: CutoverEndpoint.fromIpAddresses(['2600:1f18::20']) })],
  ['172.32.0.1 (just past 172.16/12) as a legacy IP', (id) => dns(id, { source: CutoverEndpoint.fromIpAddresses(['172.32.0.1']) })],
  ['a relative record name of two labels', (id) => dns(id, { recordNames: ['api.v2'] })],
  ['a full record name in the zone, and an absolute one', (id) => dns(id, { recordNames: ['api.pay.example.com', 'checkout.pay.example.com.'] })],
  ['health-check interval 10 s, failure threshold 10', (id) => dns(id, { healthCheck: { interval: Duration.seconds(10), failureThreshold: 10 } })],
  ['initial split 100 %', (id) => dns(id, { initialTargetPercent: 100 })],
  ['private IPs in a private hosted zone, HTTPS checks off', (id) => dns(id, {
    zoneName: undefined,
    hostedZone: new route53.PrivateHostedZone(stack, `${id}Zone`, { zoneName: 'pay.internal.example.com', vpc: new ec2.Vpc(stack, `${id}Vpc`, { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false }) }),
    source: CutoverEndpoint.fromIpAddresses(['10.20.30.40']),
    healthCheck: { enabled: false },
  })],
];

beforeAll(() => bundleHandler());

describe('WeightedCutover and CutoverEndpoint: bad input is refused at synth time', () => {
  test.each(rows)('%s', (...row) => expectRefused(stack, row as Row));
});

describe('WeightedCutover: inputs near the limits, and tokens, are accepted', () => {
  test.each(controls)('%s', (...control) => expectAccepted(control as Control));
});
