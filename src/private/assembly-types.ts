// INTERIM (replaced by the shapes helper's module at merge)
import * as fs from 'fs';
import * as path from 'path';

let loaded: any;
function assembly(): any {
  const file = path.join(__dirname, '..', '..', '.jsii');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx projen compile\` first`);
  loaded = loaded ?? JSON.parse(fs.readFileSync(file, 'utf-8'));
  return loaded;
}

/** The properties of a struct of this assembly (its own and its bases'). */
export function structPropertyNames(name: string): string[] {
  const t = assembly().types[name.includes('.') ? name : `cdk-payment-migration.${name}`];
  if (!t) throw new Error(`no struct ${name} in the jsii assembly`);
  return [...(t.properties ?? []).map((p: any) => p.name), ...(t.interfaces ?? []).filter((i: string) => i.startsWith('cdk-payment-migration.')).flatMap(structPropertyNames)];
}
