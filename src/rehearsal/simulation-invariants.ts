import { PRIMARY_CLUSTER_ARN, round, World } from './world';

/**
 * The invariants of a cutover, checked against the simulated account: after every step (`always`), when a
 * notification is sent (`notification`), and when nothing runs any more (`atRest`). Each broken one is pushed onto
 * `violations` with the virtual time.
 */
export class Invariants {
  constructor(
    private readonly world: World,
    private readonly violations: string[],
    private readonly dms: boolean,
    private readonly switchover: boolean,
    private readonly targetCluster: { arn: string },
  ) {}

  /** Where the database writer is: the DMS writer parameter, or the Aurora global cluster's writing member. */
  public writerSide(): 'source' | 'target' | 'fenced' | 'moving' {
    const world = this.world;
    if (this.dms) return world.dms.writer === 'TARGET' ? 'target' : world.dms.writer === 'FENCED' ? 'fenced' : 'source';
    const g = world.globalCluster(this.targetCluster.arn).GlobalClusters[0];
    if (g.Status !== 'available') return 'moving';
    return g.GlobalClusterMembers.some((m: any) => m.IsWriter && m.DbClusterArn !== PRIMARY_CLUSTER_ARN) ? 'target' : 'source';
  }

  /** At most one writer: never the writer on the target while the source takes traffic; no write lost or replayed. */
  public always(): void {
    const world = this.world;
    if (this.writerSide() === 'target' && world.weights.source > 0) {
      this.violations.push(`${round(world.now)}: the writer is on the target while the source has weight ${world.weights.source}`);
    }
    for (const p of world.dms.dataProblems.splice(0)) this.violations.push(`${round(world.now)}: data: ${p}`);
  }

  /** Every notification says what is true when it is sent; an ABORT written while a cutover ran is never lost. */
  public notification(subject: string, lastCommand: { value: string; t: number; whileRunning: boolean } | undefined, poll: number): void {
    const world = this.world;
    const w = world.weights;
    const writer = this.writerSide();
    if (subject === 'Cutover complete') {
      if (lastCommand?.value === 'ABORT' && lastCommand.whileRunning && lastCommand.t < world.now - (poll + 3)) {
        this.violations.push(`${round(world.now)}: "Cutover complete" although an operator wrote ABORT at ${round(lastCommand.t)} while it ran (an ABORT was lost)`);
      }
      if (!(w.source === 0 && w.target > 0 && (writer === 'target' || !this.switchover))) {
        this.violations.push(`${round(world.now)}: "Cutover complete" sent while weights are ${w.source}/${w.target}, writer ${writer}`);
      }
    }
    if (subject === 'Cutover rolled back' && !(w.target === 0 && writer === 'source')) {
      this.violations.push(`${round(world.now)}: "Cutover rolled back" sent while weights are ${w.source}/${w.target}, writer ${writer}`);
    }
  }

  /** When every execution has ended: traffic on the writer's side, writes not fenced, the writer not moving. */
  public atRest(): void {
    const w = this.world.weights;
    const writer = this.writerSide();
    if (writer === 'fenced') {this.violations.push(`at rest: writes fenced (weights ${w.source}/${w.target})`);} else if (writer === 'moving') {this.violations.push('at rest: the database writer is still moving');} else if (!this.switchover && w.source !== 0 && w.target !== 0) {this.violations.push(`at rest: traffic left split ${w.source}/${w.target}`);} else if (this.switchover && (writer === 'source' ? w.target !== 0 : w.source !== 0)) {
      this.violations.push(`at rest: traffic ${w.source}/${w.target} is not on the writer's side (${writer})`);
    }
  }
}
