/**
 * aws-local-stepfunctions is a development-time tool, not a runtime dependency of the library: it is loaded when a
 * rehearsal runs, with a clear message when it is not installed.
 */
interface LocalExecution {
  readonly result: Promise<any>;
  readonly eventLogs: AsyncGenerator<any>;
  abort(): void;
}
interface LocalStepFunctions {
  readonly StateMachine: new (definition: any, options?: any) => { run(input: any, options?: any): LocalExecution };
}
export function loadLocalStepFunctions(): LocalStepFunctions {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('aws-local-stepfunctions');
  } catch {
    throw new Error('The rehearsal needs aws-local-stepfunctions: npm install --save-dev aws-local-stepfunctions@3');
  }
}

/** aws-local-stepfunctions 3 uses `Promise.withResolvers` (Node 22); Node 20 lacks it. */
export function polyfillPromiseWithResolvers(): void {
  const P = Promise as any;
  if (typeof P.withResolvers !== 'function') {
    P.withResolvers = function withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
}

/** A Task's local handler: what the state returns for its input. */
export type LocalHandler = (input: any) => Promise<any>;

/**
 * The run overrides of aws-local-stepfunctions for a definition: every state with a Retry retries at once (the
 * caller's handlers wait on the virtual clock instead), and each state of the definition, inside Parallel branches and
 * Map iterators too, handled by `handlerFor(name, state)` when it returns one. `handlerFor` may rewrite the state (a
 * Wait made a Task).
 */
export function localOverrides(
  states: Record<string, any>,
  handlerFor: (name: string, state: any) => LocalHandler | undefined,
): { taskResourceLocalHandlers: Record<string, LocalHandler>; retryIntervalOverrides: Record<string, number> } {
  const handlers: Record<string, LocalHandler> = {};
  const retries: Record<string, number> = {};
  const walk = (level: Record<string, any>) => {
    for (const [name, state] of Object.entries(level)) {
      if (state.Retry) retries[name] = 0;
      if (state.Type === 'Parallel') state.Branches.forEach((b: any) => walk(b.States));
      if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator).States);
      const handler = handlerFor(name, state);
      if (handler) handlers[name] = handler;
    }
  };
  walk(states);
  return { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retries };
}
