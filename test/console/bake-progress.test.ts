import { bakeProgressOf, progressOf, runningBakeOf } from '../../src/console/progress';
import type { HistoryEvent } from '../../src/console/progress';

// Each bake runs as a child execution of the cutover (StartExecution.sync:2): the console follows it while it runs.
const BAKE_ARN = 'arn:aws:states:eu-west-1:111111111111:execution:Target-bake:b1';
let id = 0;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const entered = (name: string, s: number, input = '{}'): HistoryEvent => ({ id: ++id, type: 'TaskStateEntered', timestamp: at(s), stateEnteredEventDetails: { name, input } });
const exited = (name: string, s: number, output = '{}'): HistoryEvent => ({ id: ++id, type: 'TaskStateExited', timestamp: at(s), stateExitedEventDetails: { name, output } });
const submitted = (s: number): HistoryEvent => ({
  id: ++id,
  type: 'TaskSubmitted',
  timestamp: at(s),
  taskSubmittedEventDetails: { resourceType: 'states', resource: 'startExecution.sync:2', output: JSON.stringify({ ExecutionArn: BAKE_ARN, StartDate: at(s) }) },
});

describe('the console follows a bake run as a child execution', () => {
  test('the running bake is the child submitted by the step\'s bake task, until that state exits', () => {
    const parent = [entered('Step 2 (50%): set split', 1), entered('Step 2 (50%): bake', 10), submitted(10)];
    expect(runningBakeOf(parent)).toBe(BAKE_ARN);
    expect(progressOf(parent).phase).toBe('bake');
    expect(runningBakeOf([...parent, exited('Step 2 (50%): bake', 300)])).toBeUndefined();
    expect(runningBakeOf([entered('Step 1 (25%): set split', 1)])).toBeUndefined();
  });

  test('the child\'s count-down gives the seconds left; a PAUSE decision shows as paused until the next count-down', () => {
    const counting = [entered('Bake: count down', 20), exited('Bake: count down', 20, JSON.stringify({ bake: { remaining: 280, pollsLeft: 499, pauseLeft: 90 } }))];
    expect(bakeProgressOf(counting)).toEqual({ bake: { remaining: 280, asOf: at(20) }, paused: false });
    const pausing = [...counting, entered('Bake: pause', 30)];
    expect(bakeProgressOf(pausing).paused).toBe(true);
    expect(bakeProgressOf([...pausing, entered('Bake: count down', 40)]).paused).toBe(false);
    expect(bakeProgressOf([]).bake).toBeUndefined();
  });
});
