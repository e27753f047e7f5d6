import { DmsWorld } from '../../src/rehearsal/dms-world';
import { DmsScenario } from '../../src/rehearsal/scenario';

/** A world at a fixed time, its forward task running (full load done). */
function worldAt(scenario: DmsScenario, now: { t: number }): DmsWorld {
  return new DmsWorld({ initialStatus: 'running', ...scenario }, () => now.t, () => undefined);
}

/** Every page, following the Marker as a client must. */
function readAll(world: DmsWorld, maxRecords?: number): { pages: any[]; tables: any[] } {
  const pages: any[] = [];
  let marker: string | undefined;
  do {
    const page = world.tableStatistics('forward', { MaxRecords: maxRecords, Marker: marker });
    pages.push(page);
    marker = page.Marker;
  } while (marker !== undefined);
  return { pages, tables: pages.flatMap((p) => p.TableStatistics) };
}

describe('the rehearsal world pages DescribeTableStatistics as DMS does', () => {
  test('150 tables: 100 by default, then the rest from an opaque Marker; the last page has no Marker', () => {
    // GIVEN
    const world = worldAt({ tableCount: 150 }, { t: 1000 });
    // WHEN
    const { pages, tables } = readAll(world);
    // THEN
    expect(pages.map((p) => p.TableStatistics.length)).toEqual([100, 50]);
    expect(typeof pages[0].Marker).toBe('string');
    expect(pages[0].Marker).not.toMatch(/^\d+$/);
    expect(pages[1].Marker).toBeUndefined();
    expect(tables.map((t) => t.TableName)).toEqual(Array.from({ length: 150 }, (_, i) => `t${String(i + 1).padStart(4, '0')}`));
  });

  test('MaxRecords sets the page size; outside 20-500 or with a foreign Marker the call is refused', () => {
    const world = worldAt({ tableCount: 45 }, { t: 1000 });
    expect(readAll(world, 20).pages.map((p) => p.TableStatistics.length)).toEqual([20, 20, 5]);
    expect(() => world.tableStatistics('forward', { MaxRecords: 10 })).toThrow(/MaxRecords must be from 20 to 500/);
    expect(() => world.tableStatistics('forward', { MaxRecords: 501 })).toThrow(/MaxRecords must be from 20 to 500/);
    expect(() => world.tableStatistics('forward', { Marker: 'page-2' })).toThrow(/Invalid marker/);
    expect(() => world.tableStatistics('forward', { Marker: Buffer.from('reverse:20').toString('base64url') })).toThrow(/Invalid marker/);
  });

  test('a table\'s validation state follows the scenario over time, with its row counters', () => {
    const now = { t: 100 };
    const world = worldAt({ tableCount: 150, tableValidation: [{ table: 150, state: 'Pending records', until: 500 }, { table: 150, state: 'Mismatched records', from: 900 }] }, now);
    const table150 = () => readAll(world).tables[149];
    expect(table150()).toMatchObject({ ValidationState: 'Pending records', ValidationPendingRecords: 1, ValidationFailedRecords: 0 });
    now.t = 600;
    expect(table150()).toMatchObject({ ValidationState: 'Validated', ValidationPendingRecords: 0, ValidationFailedRecords: 0 });
    now.t = 900;
    expect(table150()).toMatchObject({ ValidationState: 'Mismatched records', ValidationFailedRecords: 1 });
    expect(readAll(world).tables.filter((t) => t.ValidationState !== 'Validated')).toHaveLength(1);
  });
});
