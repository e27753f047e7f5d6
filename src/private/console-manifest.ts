/**
 * The contract between the library and the `payment-migration` console: the `ConsoleManifest` stack output, one JSON
 * document that names everything the console acts on. The library writes a {@link ConsoleManifest}
 * (src/payment-migration/console-outputs.ts), the console parses into one (src/console/manifest.ts): this module is
 * the one place its name, version, keys and defaults are stated. Types and constants only — no construct, no SDK —
 * so the library and the bundled console both import it.
 *
 * The keys are short (the reference stacks resolve to about 1,300 characters, CloudFormation's limit is 4,096) and
 * they are the wire format of deployed stacks: renaming one is a new {@link CONSOLE_MANIFEST_VERSION}.
 *
 * Versions: a console reads every version up to its own, and refuses a newer one ("upgrade cdk-payment-migration").
 * A key added as optional needs no new version: an older console ignores it, and {@link MANIFEST_DEFAULTS} says what
 * a console assumes when a stack deployed by an older library lacks it.
 * - 1: every key below. `tbl` and `sh` were added as optional keys of version 1.
 */

/** The output's logical id (CDK prefixes it with the construct path: `MigrationConsoleManifest1A2B3C4D`). */
export const CONSOLE_MANIFEST_OUTPUT = 'ConsoleManifest';

/** The newest manifest format: the library writes it, the console reads it and every older one. */
export const CONSOLE_MANIFEST_VERSION = 1;

/** One side's region and load balancer. */
export interface SideManifest {
  /** The region. */
  readonly r: string;
  /** The load balancer's full name (`app/<name>/<id>`), the `LoadBalancer` dimension of its metrics. */
  readonly lb?: string;
  /** The load balancer's DNS name. */
  readonly dns?: string;
}

/**
 * What the cutover moves traffic with (`sh`): Route 53 weighted records; the fleet's load balancer listener with one
 * weighted forward to two target groups (`l` listener, `s` source and `t` target target-group ARNs); or Global
 * Accelerator's traffic dials (`a` accelerator, `s` source and `t` target endpoint-group ARNs).
 */
export type ShifterManifest =
  | { readonly k: 'dns' }
  | { readonly k: 'lb'; readonly l: string; readonly s: string; readonly t: string }
  | { readonly k: 'ga'; readonly a: string; readonly s: string; readonly t: string };

/** The `ConsoleManifest` output of a migration stack. */
export interface ConsoleManifest {
  /** The format version ({@link CONSOLE_MANIFEST_VERSION} when written). */
  readonly v: number;
  /** Aurora Global Database (cross-region path) or DMS (on-premises path). */
  readonly kind: 'aurora-global' | 'dms';
  /** The cutover state machine's ARN. */
  readonly sm: string;
  /** The alarm-rollback state machine's ARN. */
  readonly rb?: string;
  /** The recovery state machine's ARN. */
  readonly rc?: string;
  /** The control parameter's name (PAUSE, RUN, SKIP_BAKE, ABORT). */
  readonly ctl: string;
  /**
   * The cutover record's DynamoDB table (phase, holder). Absent from stacks deployed before the record existed:
   * `status` then shows no record, and `recover` says to redeploy.
   */
  readonly tbl?: string;
  /** The writer parameter's name (DMS path). */
  readonly wr?: string;
  /** The notification topic's ARN. */
  readonly topic?: string;
  /** The dashboard's name. */
  readonly dash?: string;
  /** The hosted zone id of the weighted records. */
  readonly zone?: string;
  /** The weighted record names. */
  readonly rec?: string[];
  /** The gating alarms' names (default: none). */
  readonly alarms: string[];
  /** The target side. */
  readonly tgt: SideManifest;
  /** The source side (cross-region path). */
  readonly src?: SideManifest;
  /** The global cluster's identifier (cross-region path). */
  readonly gc?: string;
  /** The target cluster's ARN (cross-region path). */
  readonly db?: string;
  /** The forward and reverse DMS task ARNs (DMS path). */
  readonly dms?: { readonly fwd?: string; readonly rev?: string };
  /** What moves traffic (default: DNS, as in stacks deployed before the shifter was selectable). */
  readonly sh?: ShifterManifest;
}

/** The keys without which a manifest of any version cannot be acted on. */
export const REQUIRED_MANIFEST_KEYS: ReadonlyArray<keyof ConsoleManifest> = ['sm', 'ctl', 'tgt'];

/** The shifter of a manifest that names none (stacks deployed before the shifter was selectable): DNS. */
export const DNS_SHIFTER: ShifterManifest = { k: 'dns' };

/** What a console assumes for keys that a stack deployed by an older library lacks. */
export const MANIFEST_DEFAULTS = {
  /** No gating alarm. */
  alarms: [] as ReadonlyArray<string>,
  /** The cutover shifts by Route 53 weighted records. */
  sh: DNS_SHIFTER,
} as const;
