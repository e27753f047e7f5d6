/** The cases every custom-resource handler test (peer routes, weighted records) has, run on each handler's own fakes. */

/** A handler's fake AWS API: `failNext` makes the next calls of one API action fail; `calls` records every call. */
interface FakeApi {
  readonly calls: readonly unknown[];
  failNext(call: never, ...errors: Error[]): void;
}

/** A handler under test: a fresh harness (recording the handler's waits), its fake API, and a Create through it. */
export interface HandlerSubject<H extends { readonly sleeps: readonly number[] }, F extends FakeApi> {
  harness(): H;
  fake(h: H): F;
  create(h: H): Promise<{ Status: string }>;
}

/** A Delete whose properties never described anything (`remove`, after a failed create): SUCCESS, and no call to the API. */
export function testDeleteOfNothing<H extends { readonly sleeps: readonly number[] }, F extends FakeApi>(
  s: HandlerSubject<H, F>, what: string, remove: (h: H) => Promise<{ Status: string }>,
): void {
  test(`properties that never described ${what} (a failed create) delete nothing and succeed`, async () => {
    const h = s.harness();
    const response = await remove(h);
    expect(response.Status).toBe('SUCCESS');
    expect(s.fake(h).calls).toEqual([]);
  });
}

/**
 * A Create whose API calls are throttled (`failures`: the errors of the next calls of each action) is retried with
 * exponential backoff (its first waits `backoff`), then succeeds; `then` checks what it did.
 */
export function testBackoffThenSuccess<H extends { readonly sleeps: readonly number[] }, F extends FakeApi>(
  s: HandlerSubject<H, F>, what: string, failures: { [call in Parameters<F['failNext']>[0]]?: Error[] }, backoff: number[], then: (h: H) => void,
): void {
  test(`${what} is retried with exponential backoff, then succeeds`, async () => {
    const h = s.harness();
    for (const [call, errors] of Object.entries(failures) as [never, Error[]][]) s.fake(h).failNext(call, ...errors);
    const response = await s.create(h);
    expect(response.Status).toBe('SUCCESS');
    expect(h.sleeps.slice(0, backoff.length)).toEqual(backoff);
    then(h);
  });
}

/** What a handler does besides calling its API, recorded: the responses it sent, and its waits. */
export interface Recorded<R> {
  readonly sent: { url: string; response: R }[];
  readonly sleeps: number[];
}

/** The deps that record a handler's responses and waits, on a clock that advances only when it waits; and its deadline. */
export function recorded<R>(deadline: number): Recorded<R> & {
  readonly deps: { deadline: number; send(url: string, response: R): Promise<void>; sleep(ms: number): Promise<void>; now(): number };
} {
  const sent: Recorded<R>['sent'] = [];
  const sleeps: number[] = [];
  let clock = 0;
  const deps = {
    send: async (url: string, response: R) => {
      sent.push({ url, response });
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    deadline,
  };
  return { sent, sleeps, deps };
}
