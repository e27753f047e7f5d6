/** What the custom-resource handler tests (peer routes, weighted records) share. */

/** A Delete whose properties never described anything (a failed create): SUCCESS, and no call to the API (`calls`, read after). */
export async function expectDeleteOfNothing(handle: () => Promise<{ Status: string }>, calls: () => readonly unknown[]): Promise<void> {
  const response = await handle();
  expect(response.Status).toBe('SUCCESS');
  expect(calls()).toEqual([]);
}
