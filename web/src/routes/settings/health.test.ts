import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../lib/i18n';
import { sampleHealth } from '../../lib/health/testing';
import { healthCard, reasonLabel } from './health';

describe('healthCard', () => {
  afterEach(() => setLocale('en'));

  it('maps each part to a chip and formatted facts', () => {
    const card = healthCard(sampleHealth());
    expect(card.chip).toEqual({ label: 'Up', tone: 'ok' });
    expect(card.parts.map((p) => p.id)).toEqual(['database', 'dataDisk', 'ingest']);
    const [db, disk, ingest] = card.parts;
    expect(db.chip).toEqual({ label: 'Up', tone: 'ok' });
    expect(db.facts).toEqual([{ id: 'latency', label: 'Last write took', value: '4.2 ms' }]);
    expect(disk.facts.map((f) => f.value)).toEqual(['20 GiB', '256 MiB', '/var/lib/flick']);
    expect(disk.facts[2].mono).toBe(true);
    expect(ingest.chip).toBeUndefined();
    expect(ingest.facts.map((f) => [f.id, f.value])).toEqual([
      ['spool', '1 MiB'],
      ['backlog', '0'],
      ['written', '123,456'],
      ['dropped', '0'],
    ]);
    expect(card.byReason).toEqual([]);
    expect(card.byServer).toEqual([]);
  });

  it('shows a database outage with its error and since when', () => {
    const since = new Date(2026, 11, 1, 10, 42, 0).getTime();
    const card = healthCard(
      sampleHealth({
        status: 'DOWN',
        database: { status: 'DOWN', writeLatencyMs: null, lastError: 'Connection refused', downSince: since },
      }),
      since + 60_000,
    );
    expect(card.chip).toEqual({ label: 'Down', tone: 'bad' });
    const db = card.parts[0];
    expect(db.chip?.tone).toBe('bad');
    expect(db.error).toBe('Connection refused');
    expect(db.facts).toEqual([
      { id: 'latency', label: 'Last write took', value: '–' },
      { id: 'downSince', label: 'Unavailable since', value: '10:42:00' },
    ]);
  });

  it('lists drops by reason and by server, largest first, naming unknown reasons as the hub does', () => {
    const h = sampleHealth({ status: 'DEGRADED' });
    h.ingest = {
      ...h.ingest,
      droppedTotal: 1510,
      dropped: { rejected: 10, 'backlog-full': 1500, 'spool-full': 0, 'future-reason': 2 },
      droppedByServer: [
        { serverId: 's1', name: 'web-1', reason: 'rejected', count: 10 },
        { serverId: 's2', name: null, reason: 'backlog-full', count: 1500 },
      ],
    };
    const card = healthCard(h);
    expect(card.chip).toEqual({ label: 'Degraded', tone: 'warn' });
    expect(card.byReason).toEqual([
      { reason: 'backlog-full', label: 'Memory backlog full', count: '1,500' },
      { reason: 'rejected', label: 'Refused by the database', count: '10' },
      { reason: 'future-reason', label: 'future-reason', count: '2' },
    ]);
    expect(card.byServer).toEqual([
      { key: 's2|backlog-full', serverId: 's2', name: 's2', reason: 'Memory backlog full', count: '1,500' },
      { key: 's1|rejected', serverId: 's1', name: 'web-1', reason: 'Refused by the database', count: '10' },
    ]);
  });

  it('is translated', () => {
    setLocale('ko');
    const card = healthCard(sampleHealth({ status: 'DEGRADED' }));
    expect(card.chip.label).toBe('저하');
    expect(card.parts[1].title).toBe('데이터 디스크');
    expect(reasonLabel('spool-full')).toBe('스풀 가득 참');
  });
});
