import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n';
import { bannerText, storageBanner } from '.';
import { sampleHealth } from './testing';

const at = (h: number, m: number) => new Date(2026, 11, 1, h, m, 0).getTime();

describe('storageBanner', () => {
  it('shows nothing while storage is up or health is not known yet', () => {
    expect(storageBanner(null)).toBeNull();
    expect(storageBanner(sampleHealth())).toBeNull();
  });

  it('names an unreachable database and since when', () => {
    const h = sampleHealth({
      status: 'DOWN',
      database: { status: 'DOWN', writeLatencyMs: null, lastError: 'Connection refused', downSince: at(10, 42) },
    });
    expect(storageBanner(h)).toEqual({ kind: 'database-down', since: at(10, 42) });
    expect(bannerText({ kind: 'database-down', since: new Date(2026, 10, 26, 10, 42).getTime() }, at(11, 0))).toContain('since Nov 26, 10:42 —');
    expect(bannerText(storageBanner(h)!, at(11, 0))).toBe(
      'Storage is unavailable since 10:42 — live view continues; data is held and written when it returns.',
    );
  });

  it('names a full data disk with its free space', () => {
    const h = sampleHealth({ status: 'DOWN' });
    h.dataDisk = { ...h.dataDisk, status: 'DOWN', freeBytes: 100 * 1024 ** 2 };
    expect(storageBanner(h)).toEqual({ kind: 'disk-down', freeBytes: 100 * 1024 ** 2 });
    expect(bannerText(storageBanner(h)!)).toContain('(100 MiB free)');
  });

  it('still warns when the hub says DOWN without naming a part', () => {
    const b = storageBanner(sampleHealth({ status: 'DOWN' }));
    expect(b).toEqual({ kind: 'down' });
    expect(bannerText(b!)).toBe('Storage is unavailable — live view continues; data is held and written when it returns.');
  });

  it('counts dropped snapshots when degraded', () => {
    const h = sampleHealth({ status: 'DEGRADED' });
    h.ingest = { ...h.ingest, droppedTotal: 1234, dropped: { 'backlog-full': 1234 } };
    expect(bannerText(storageBanner(h)!)).toBe('1,234 snapshots could not be stored.');
    h.ingest.droppedTotal = 1;
    expect(bannerText(storageBanner(h)!)).toBe('1 snapshot could not be stored.');
    h.ingest.droppedTotal = 0;
    expect(bannerText(storageBanner(h)!)).toBe('Storage is falling behind.');
  });

  it('keeps a dismissed DEGRADED banner away until more snapshots are dropped, but never hides DOWN', () => {
    const h = sampleHealth({ status: 'DEGRADED' });
    h.ingest = { ...h.ingest, droppedTotal: 10 };
    expect(storageBanner(h, 10)).toBeNull();
    h.ingest.droppedTotal = 11;
    expect(storageBanner(h, 10)).toEqual({ kind: 'degraded', dropped: 11 });
    expect(storageBanner({ ...h, status: 'DOWN' }, 11)).toEqual({ kind: 'down' });
  });

  describe('in Korean', () => {
    afterEach(() => setLocale('en'));
    it('is translated', () => {
      setLocale('ko');
      expect(bannerText({ kind: 'database-down', since: at(10, 42) }, at(11, 0))).toBe(
        '10:42부터 저장소를 사용할 수 없습니다 — 실시간 보기는 계속되며, 데이터는 보관했다가 복구되면 저장합니다.',
      );
      expect(bannerText({ kind: 'degraded', dropped: 3 })).toBe('스냅샷 3개를 저장하지 못했습니다.');
    });
  });
});
