/**
 * Worst-case history events of a path through an ASL definition, counted state by state as Step Functions writes
 * them: a Pass, Choice or Wait enters and exits (2); a Task enters, is scheduled, starts, ends and exits (5), a
 * `.sync` Task also reports its submission (6), and every retry of a Retry block adds a schedule, a start and a
 * failure (3 × MaxAttempts); a Fail or Succeed enters (1).
 */
export function eventsOf(state: any): number {
  switch (state.Type) {
    case 'Task': {
      const retries = (state.Retry ?? []).reduce((n: number, r: any) => n + (r.MaxAttempts ?? 3), 0);
      return (/\.sync(:2)?$/.test(String(state.Resource)) ? 6 : 5) + 3 * retries;
    }
    case 'Fail':
    case 'Succeed':
      return 1;
    default:
      return 2;
  }
}

/** Where a state may go next: Next, a Choice's rules and Default, a Catch's Next. */
export function successors(state: any): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Choices ?? []).map((c: any) => c.Next),
    ...(state.Default ? [state.Default] : []),
    ...(state.Catch ?? []).map((c: any) => c.Next),
  ];
}

/**
 * The longest path (in events) from `from`, never entering a state of `cut` twice: an edge into a `cut` state ends
 * the path there (not counted). With `back`, only paths that end by an edge into `back` count (a loop's pass); else
 * every path, to an end state or a cut. Throws on a loop that no `cut` state breaks: those must break every loop, so
 * that each other state is entered at most once per pass.
 */
export function longest(states: Record<string, any>, from: string, cut: ReadonlySet<string>, back?: string): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const walk = (name: string, first: boolean): number => {
    if (!first && cut.has(name)) return back === undefined || name === back ? 0 : -Infinity;
    if (!first && memo.has(name)) return memo.get(name)!;
    if (visiting.has(name)) throw new Error(`a loop through ${name} that no cut state breaks`);
    visiting.add(name);
    const state = states[name];
    if (!state) throw new Error(`no state ${name}`);
    const next = successors(state);
    const after = next.length === 0 ? (back === undefined ? 0 : -Infinity) : Math.max(...next.map((n) => walk(n, false)));
    visiting.delete(name);
    const total = eventsOf(state) + after;
    if (!first) memo.set(name, total);
    return total;
  };
  return walk(from, true);
}
