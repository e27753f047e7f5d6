import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildOnPremisesMigration } from '../../examples/on-premises/app';
import { buildReferenceMigration } from '../../examples/reference/app';
import { AuroraTargetCluster, AuroraTargetEngine, RegionalNetwork } from '../../src';
import { bundlePeerRoutesHandler } from '../regional-network/bundle';
import { bundleHandler } from '../weighted-cutover/bundle';

const ROOT = path.join(__dirname, '..', '..');
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** Runs `build` with deprecated aws-cdk-lib APIs throwing (JSII_DEPRECATED=fail) and records what is printed. */
function strictly<T>(build: () => T): { result: T; printed: string[] } {
  const previous = process.env.JSII_DEPRECATED;
  const printed: string[] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  const emit = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => { printed.push(String(w)); }) as any);
  process.env.JSII_DEPRECATED = 'fail';
  try {
    return { result: build(), printed };
  } finally {
    if (previous === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = previous;
    warn.mockRestore();
    error.mockRestore();
    emit.mockRestore();
  }
}

/** The warnings aws-cdk-lib itself adds (their acknowledgement ids start with `@aws-cdk/`), as `path: message`. */
function cdkWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => `${w.id}: ${String(w.entry.data)}`)
    .filter((w) => /\[ack: @aws-cdk\//.test(w));
}

function allWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => `${w.id}: ${String(w.entry.data)}`);
}

function contextOf(example: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', example, 'cdk.json'), 'utf8')).context;
}

describe('a clean synth shows no aws-cdk-lib warning and calls no deprecated API', () => {
  beforeAll(() => {
    bundleHandler();
    bundlePeerRoutesHandler();
  });

  test.each([
    ['Aurora MySQL', AuroraTargetEngine.MYSQL],
    ['Aurora PostgreSQL', AuroraTargetEngine.POSTGRESQL],
  ])('an AuroraTargetCluster (%s) with its three instances, and a RegionalNetwork with a VPN', (_name, engine) => {
    // GIVEN / WHEN
    const { result: stack, printed } = strictly(() => {
      const s = new Stack(new App(), 'Target', { env: { account: '111111111111', region: 'us-east-1' } });
      const network = new RegionalNetwork(s, 'Network', {
        cidr: '10.1.0.0/16',
        availabilityZones: AZS,
        onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0', vpnConnectionId: 'vpn-0123456789abcdef0', routePropagation: false },
      });
      new RegionalNetwork(s, 'Propagated', {
        cidr: '10.2.0.0/16',
        availabilityZones: AZS,
        onPremises: { cidrs: ['192.168.0.0/16'], vpnGatewayId: 'vgw-0123456789abcdef0' },
      });
      new AuroraTargetCluster(s, 'Database', { vpc: network.vpc, engine });
      Annotations.fromStack(s); // synthesizes
      return s;
    });
    // THEN
    expect(allWarnings(stack)).toEqual([]);
    expect(printed.filter((p) => /deprecated/i.test(p))).toEqual([]);
  });

  test('the reference migration (Aurora Global Database)', () => {
    const { result, printed } = strictly(() => buildReferenceMigration(new App({ context: contextOf('reference') })));
    expect([result.source, result.target].flatMap(cdkWarnings)).toEqual([]);
    expect(printed.filter((p) => /deprecated/i.test(p))).toEqual([]);
  });

  test('the on-premises migration (DMS)', () => {
    const { result, printed } = strictly(() => buildOnPremisesMigration(new App({ context: contextOf('on-premises') })));
    expect(result.stacks.length).toBeGreaterThan(1);
    expect(result.stacks.flatMap(cdkWarnings)).toEqual([]);
    expect(printed.filter((p) => /deprecated/i.test(p))).toEqual([]);
  });
});
