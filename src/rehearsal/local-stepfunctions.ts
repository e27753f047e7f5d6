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
