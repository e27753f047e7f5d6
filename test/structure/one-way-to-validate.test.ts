import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Validator } from '../../src/private/validation';
import { PaymentMigrationErrors } from '../../src/validation-error';

/** Every TypeScript file under src/. */
function sources(dir = path.join(__dirname, '..', '..', 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('no props type is restated by hand: the type checks come from the jsii assembly', () => {
  const tables = sources().filter((f) => /:\s*Shapes\s*=\s*\{/.test(fs.readFileSync(f, 'utf8')));
  expect(tables.map((f) => path.relative(process.cwd(), f))).toEqual([]);
});

test('bad input is refused through the one Validator: no rule throws the error type by hand', () => {
  // a method called on a construct that lacks what it reads (metricVpnTunnelState() without a VPN) refuses through it too
  const byHand = sources()
    .filter((f) => !/[/\\]private[/\\]validation(-error)?\.ts$/.test(f))
    .filter((f) => /(new )?PaymentMigrationValidationError(\.(inline|listed))?\(/.test(fs.readFileSync(f, 'utf8')));
  expect(byHand.map((f) => path.relative(process.cwd(), f))).toEqual([]);
});

test('no public type validates by a method of its own: rules are checked where the value is consumed, through the Validator', () => {
  // constructs' `node.addValidation` aside, a public `validate()` (CutoverSteps had one, returning rule texts) is a second style
  const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf8'));
  const methods = Object.values(assembly.types as Record<string, { fqn: string; methods?: Array<{ name: string }> }>)
    .flatMap((t) => (t.methods ?? []).filter((m) => /^validate/i.test(m.name)).map((m) => `${t.fqn}.${m.name}`));
  expect(methods).toEqual([]);
});

describe('a composing construct names its child\'s props; nothing rewrites a rule', () => {
  class Composer extends Construct {
    public _userPropNames(childId: string) {
      return childId === 'Child' ? { 'peering.peerRegion': 'side.source.region', 'zoneName': 'side.dns.zoneName' } : undefined;
    }
  }
  const refusal = (fail: (v: Validator) => void) => {
    const child = new Construct(new Composer(new Stack(new App(), 'S'), 'Migration'), 'Child');
    const v = new Validator('Child', child);
    fail(v);
    try {
      v.throwIfInvalid();
    } catch (e) {
      if (PaymentMigrationErrors.isValidationError(e)) return e.failures[0];
    }
    throw new Error('not refused');
  };

  test('the failing prop is named as the composer\'s user typed it, its path kept', () => {
    expect(refusal((v) => v.fail('peering.peerRegion', 'must be a region', 'x')).prop).toBe('side.source.region');
  });

  test('a rule text is kept as written: another prop is named only through v.name()', () => {
    const f = refusal((v) => v.fail('hostedZone', `and \`zoneName\` are exclusive; see \`${v.name('zoneName')}\``, 'both'));
    expect(f.prop).toBe('hostedZone');
    expect(f.rule).toBe('and `zoneName` are exclusive; see `side.dns.zoneName`');
  });
});
