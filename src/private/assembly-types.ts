import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * The shape a prop must have: `string`, `number`, `boolean`, `array` (any list), `string[]`, `number[]`, `duration`
 * (a `Duration`), `object` (a struct or a construct), `record` (a map of strings); a trailing `?` makes it optional.
 */
export type Shape =
  | 'string' | 'number' | 'boolean' | 'array' | 'string[]' | 'number[]' | 'duration' | 'object' | 'record'
  | 'string?' | 'number?' | 'boolean?' | 'array?' | 'string[]?' | 'number[]?' | 'duration?' | 'object?' | 'record?';

/** Prop path (dots for nested structs, e.g. `peering.peerRegion`) → the shape it must have. */
export type Shapes = Readonly<Record<string, Shape>>;

// The few parts of the jsii assembly format (@jsii/spec) read here.
interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: string; readonly elementtype: TypeRef };
}
interface Member {
  readonly name: string; readonly type: TypeRef; readonly optional?: boolean; readonly static?: boolean; readonly variadic?: boolean;
}
interface Method { readonly name: string; readonly parameters?: Member[] }
interface TypeInfo {
  readonly fqn: string;
  readonly name: string;
  readonly kind: string;
  readonly datatype?: boolean;
  readonly interfaces?: string[];
  readonly properties?: Member[];
  readonly methods?: Method[];
  readonly locationInModule?: { readonly filename: string };
}
interface Assembly { readonly name: string; readonly types: Readonly<Record<string, TypeInfo>> }

/** The package root: `src/private/` (ts-jest) and `lib/private/` (the published package) are both two levels down. */
const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY_FILE = path.join(ROOT, '.jsii');

let loaded: Assembly | undefined;
const derived = new Map<string, Shapes>();

/** The package's own assembly, read once; a redirect (jsii's `compressAssembly`) is followed to its `.jsii.gz`. */
function assembly(): Assembly {
  if (loaded) return loaded;
  if (!fs.existsSync(ASSEMBLY_FILE)) {
    throw new Error(`${ASSEMBLY_FILE} is missing: the type checks of props are derived from the jsii assembly, run \`npx projen compile\` first`);
  }
  let contents = JSON.parse(fs.readFileSync(ASSEMBLY_FILE, 'utf-8'));
  while (contents?.schema === 'jsii/file-redirect') {
    let data = fs.readFileSync(path.resolve(ASSEMBLY_FILE, '..', contents.filename));
    if (contents.compression === 'gzip') data = zlib.gunzipSync(data);
    else if (contents.compression !== undefined) throw new Error(`${ASSEMBLY_FILE}: unsupported compression ${JSON.stringify(contents.compression)}`);
    contents = JSON.parse(data.toString('utf-8'));
  }
  loaded = contents as Assembly;
  return loaded;
}

function typeOf(fqn: string): TypeInfo | undefined {
  return assembly().types[fqn];
}

/** The runtime values of an enum: this assembly's from the module that declares it, another's from its package. */
function enumValues(fqn: string): unknown[] | undefined {
  const own = typeOf(fqn);
  let value: any;
  if (own) {
    if (own.kind !== 'enum' || !own.locationInModule) return undefined;
    const file = path.relative('src', own.locationInModule.filename).replace(/\.ts$/, '');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    value = require(path.join(__dirname, '..', file))[own.name];
  } else {
    const [pkg, ...names] = fqn.split('.');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      value = names.reduce((o, name) => o?.[name], require(pkg));
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' ? Object.values(value) : undefined;
}

/** The shape of one type reference (undefined: not checked), the struct to walk into for a struct of this assembly. */
function shapeOf(ref: TypeRef): { shape?: string; struct?: TypeInfo } {
  if (ref.primitive) return { shape: ['string', 'number', 'boolean'].includes(ref.primitive) ? ref.primitive : undefined };
  if (ref.collection) {
    const element = ref.collection.elementtype.primitive;
    if (ref.collection.kind === 'map') return { shape: element === 'string' ? 'record' : 'object' };
    return { shape: element === 'string' || element === 'number' ? `${element}[]` : 'array' };
  }
  if (!ref.fqn) return {};
  if (ref.fqn === 'aws-cdk-lib.Duration') return { shape: 'duration' };
  const own = typeOf(ref.fqn);
  if (own?.datatype) return { shape: 'object', struct: own };
  const values = own === undefined || own.kind === 'enum' ? enumValues(ref.fqn) : undefined;
  if (values === undefined) return { shape: 'object' };
  // a numeric TypeScript enum maps its names to numbers (and back): a number; a string enum: a string
  return { shape: values.some((v) => typeof v === 'number') ? 'number' : values.every((v) => typeof v === 'string') ? 'string' : undefined };
}

/** The properties of a struct or class, its bases' after its own (a base of another assembly adds nothing). */
function propertiesOf(type: TypeInfo): Member[] {
  const byName = new Map<string, Member>();
  for (const p of type.properties ?? []) if (!p.static && !byName.has(p.name)) byName.set(p.name, p);
  for (const base of type.interfaces ?? []) {
    const b = typeOf(base);
    if (b) for (const p of propertiesOf(b)) if (!byName.has(p.name)) byName.set(p.name, p);
  }
  return [...byName.values()];
}

function addMembers(shapes: Record<string, Shape>, members: Member[], prefix: string, walk: readonly string[], seen: string[]): void {
  for (const m of members) {
    if (m.variadic) continue;
    const { shape, struct } = shapeOf(m.type);
    if (shape === undefined) continue;
    const at = `${prefix}${m.name}`;
    shapes[at] = `${shape}${m.optional ? '?' : ''}` as Shape;
    const into = struct ?? (walk.includes(at) && m.type.fqn ? typeOf(m.type.fqn) : undefined);
    if (into && !seen.includes(into.fqn)) addMembers(shapes, propertiesOf(into), `${at}.`, walk, [...seen, into.fqn]);
  }
}

/**
 * The shapes of a type of this package, derived from its jsii assembly: a struct by name (`PaymentFleetProps`: its
 * properties, its bases', and those of the structs of this package it holds, as `parent.child`), or a method's
 * parameters (`CutoverEndpoint.fromIpAddresses`). `walk` names the props of a class type whose properties are
 * checked too (`image`: a `PaymentProcessorImage`'s `imageUri`). Derived once per type.
 */
export function typesOf(type: string, walk: readonly string[] = []): Shapes {
  const key = `${type}|${walk.join(',')}`;
  const cached = derived.get(key);
  if (cached) return cached;
  const [typeName, methodName] = type.split('.');
  const info = typeOf(`${assembly().name}.${typeName}`);
  const method = methodName === undefined ? undefined : info?.methods?.find((m) => m.name === methodName);
  if (!info || (methodName === undefined ? !info.datatype : !method)) {
    throw new Error(`${type} is not a ${methodName === undefined ? 'struct' : 'method'} of the jsii assembly ${ASSEMBLY_FILE}`);
  }
  const shapes: Record<string, Shape> = {};
  addMembers(shapes, method ? method.parameters ?? [] : propertiesOf(info), '', walk, [info.fqn]);
  derived.set(key, shapes);
  return shapes;
}

/** The property names of a struct of this package, its bases' included (what a composing construct passes through). */
export function structPropertyNames(struct: string): string[] {
  const info = typeOf(`${assembly().name}.${struct}`);
  if (!info?.datatype) throw new Error(`${struct} is not a struct of the jsii assembly ${ASSEMBLY_FILE}`);
  return propertiesOf(info).map((p) => p.name);
}
