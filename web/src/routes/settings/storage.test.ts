import { afterEach, describe, expect, it } from 'vitest';
import type { StorageReport } from '../../lib/api/logs';
import { DASH, formatDateYearMinute } from '../../lib/format';
import { setLocale } from '../../lib/i18n';
import { layoutLabel, tiersView } from './storage';

const oldest = new Date(2025, 10, 20, 8, 5).getTime();
const newest = new Date(2026, 0, 2, 23, 59).getTime();

const report = (extra: Partial<StorageReport> = {}): StorageReport => ({
  database: 'postgresql',
  totalBytes: 3 * 1024 ** 3,
  tables: [{ name: 'metrics_snapshots', rows: 10, bytes: 1024 }],
  layout: 'partitions',
  tiers: [
    { tier: '1h', bytes: 5 * 1024 ** 2, rows: 1_200, oldest, newest },
    { tier: 'raw', bytes: 1.5 * 1024 ** 3, rows: 86_400, blocks: 1_440, oldest, newest },
    { tier: '1m', bytes: 0, rows: 0 },
  ],
  ...extra,
});

describe('tiersView', () => {
  afterEach(() => setLocale('en'));

  it('lists tiers finest first with sizes, counts and dates in the user’s locale', () => {
    setLocale('en');
    const view = tiersView(report());
    expect(view.layout).toBe('PostgreSQL partitions');
    expect(view.hasBlocks).toBe(true);
    expect(view.tiers).toEqual([
      { tier: 'raw', label: 'Raw snapshots', bytes: '1.5 GiB', rows: '86,400', blocks: '1,440', oldest: 'Nov 20, 2025, 08:05', newest: 'Jan 2, 2026, 23:59' },
      { tier: '1m', label: '1-minute rollups', bytes: '0 B', rows: '0', blocks: DASH, oldest: DASH, newest: DASH },
      { tier: '1h', label: '1-hour rollups', bytes: '5 MiB', rows: '1,200', blocks: DASH, oldest: 'Nov 20, 2025, 08:05', newest: 'Jan 2, 2026, 23:59' },
    ]);
  });

  it('speaks Korean when the user does', () => {
    setLocale('ko');
    const view = tiersView(report({ layout: 'timescaledb' }));
    expect(view.layout).toBe('TimescaleDB');
    expect(view.tiers.map((r) => r.label)).toEqual(['원본 스냅샷', '1분 집계', '1시간 집계']);
    expect(view.tiers[0].oldest).toBe(formatDateYearMinute(oldest, 'ko'));
    expect(view.tiers[0].oldest).toContain('2025년');
    expect(layoutLabel('partitions')).toBe('PostgreSQL 파티션');
  });

  it('names each layout, and shows one it does not know as the hub sends it', () => {
    expect(['sqlite', 'partitions', 'timescaledb', 'columnar'].map(layoutLabel)).toEqual(['SQLite', 'PostgreSQL partitions', 'TimescaleDB', 'columnar']);
  });

  it('keeps an unknown tier, last and under its own name', () => {
    const view = tiersView(report({ tiers: [{ tier: '1d', bytes: 1, rows: 1 }, { tier: 'raw', bytes: 1, rows: 1 }] }));
    expect(view.tiers.map((r) => [r.tier, r.label])).toEqual([['raw', 'Raw snapshots'], ['1d', '1d']]);
    expect(view.hasBlocks).toBe(false);
  });

  it('shows nothing per tier for a hub that does not report tiers', () => {
    const view = tiersView(report({ layout: undefined, tiers: undefined }));
    expect(view).toEqual({ layout: null, tiers: [], hasBlocks: false });
  });
});
