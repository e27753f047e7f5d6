import { Token } from 'aws-cdk-lib';

/*
 * Strings that are almost right: a host name with a scheme, a port, a path; a name that only resolves inside a
 * network. Pure checks, shared by every construct that asks for a host.
 */

/**
 * What makes a host name (or IP address) given for a host prop almost right: a scheme (`https://db.example.com`), a
 * port (`db.example.com:3306`), a path, spaces. Undefined when none of these (or a token).
 */
export function hostNameProblem(value: unknown, portProp?: string): string | undefined {
  if (typeof value !== 'string' || Token.isUnresolved(value)) return undefined;
  if (value.trim() !== value || /\s/.test(value)) return 'must be a host name without spaces';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'must be a host name, without a scheme (no `https://`)';
  const ipv6 = value.split(':').length > 2;
  if (!ipv6 && /:\d*$/.test(value)) {
    return `must be a host name without a port (\`host:port\`)${portProp ? `: give the port in \`${portProp}\`` : ''}`;
  }
  if (value.includes('/')) return 'must be a host name, without a path';
  return undefined;
}

/** Records the {@link hostNameProblem} of a host prop, if any. Returns true when the host is fine (or unknown). */
export function checkHostName(
  v: { fail(prop: string, rule: string, value: unknown): void },
  prop: string,
  value: unknown,
  portProp?: string,
): boolean {
  const problem = hostNameProblem(value, portProp);
  if (problem) v.fail(prop, problem, value);
  return problem === undefined;
}

/** Names that never resolve on the internet (RFC 6762 `.local`, RFC 8375 `.home.arpa`, RFC 6761 `localhost`, …). */
export function isInternalOnlyName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === 'localhost' || /\.(local|localhost|internal|intranet|lan|home\.arpa|corp|localdomain)$/.test(n);
}
