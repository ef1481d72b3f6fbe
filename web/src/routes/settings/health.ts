import type { DropReason, IngestHealth, IngestStatus } from '../../lib/api/ingest';
import { DASH, formatBytes, formatMillis, formatMoment, formatNumber } from '../../lib/format';
import { t, type MessageKey } from '../../lib/i18n';

/** How a status chip looks: ok (green), warn, bad. */
export type Tone = 'ok' | 'warn' | 'bad';

export interface Fact {
  id: string;
  label: string;
  value: string;
  /** A file path or similar, set in the monospace face. */
  mono?: boolean;
}

export interface Part {
  id: 'database' | 'dataDisk' | 'ingest';
  title: string;
  /** Absent for the ingest counters, which have no status of their own. */
  chip?: { label: string; tone: Tone };
  facts: Fact[];
  error: string | null;
}

export interface DropRow {
  reason: string;
  label: string;
  count: string;
}

export interface ServerDropRow {
  key: string;
  serverId: string;
  name: string;
  reason: string;
  count: string;
}

export interface HealthCard {
  chip: { label: string; tone: Tone };
  parts: Part[];
  droppedTotal: number;
  byReason: DropRow[];
  byServer: ServerDropRow[];
}

const STATUS: Record<IngestStatus, { key: MessageKey; tone: Tone }> = {
  UP: { key: 'health.status.up', tone: 'ok' },
  DEGRADED: { key: 'health.status.degraded', tone: 'warn' },
  DOWN: { key: 'health.status.down', tone: 'bad' },
};

const REASONS: Record<string, MessageKey> = {
  'backlog-full': 'health.reason.backlogFull',
  rejected: 'health.reason.rejected',
  'spool-full': 'health.reason.spoolFull',
};

const chip = (status: IngestStatus | string | undefined) => {
  const s = STATUS[status as IngestStatus] ?? { key: 'status.unknown' as MessageKey, tone: 'warn' as Tone };
  return { label: t(s.key), tone: s.tone };
};

/** A drop reason in words; one the client does not know yet is shown as the hub names it. */
export function reasonLabel(reason: DropReason): string {
  const key = REASONS[reason];
  return key ? t(key) : reason;
}

const byCountDesc = <T extends { count: number }>(a: T, b: T) => b.count - a.count;

/** The Settings card's rows from the hub's answer: every number formatted, drops largest first. */
export function healthCard(h: IngestHealth, now = Date.now()): HealthCard {
  const db = h.database;
  const disk = h.dataDisk;
  const ingest = h.ingest;

  const dbFacts: Fact[] = [{ id: 'latency', label: t('health.writeLatency'), value: formatMillis(db.writeLatencyMs) }];
  if (db.downSince !== null && db.downSince !== undefined) {
    dbFacts.push({ id: 'downSince', label: t('health.downSince'), value: formatMoment(db.downSince, now) });
  }

  const reasons = Object.entries(ingest.dropped ?? {})
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort(byCountDesc);

  return {
    chip: chip(h.status),
    parts: [
      { id: 'database', title: t('health.database'), chip: chip(db.status), facts: dbFacts, error: db.lastError || null },
      {
        id: 'dataDisk',
        title: t('health.dataDisk'),
        chip: chip(disk.status),
        facts: [
          { id: 'free', label: t('health.free'), value: formatBytes(disk.freeBytes) },
          { id: 'threshold', label: t('health.threshold'), value: formatBytes(disk.thresholdBytes) },
          { id: 'path', label: t('health.path'), value: disk.path || DASH, mono: true },
        ],
        error: disk.lastError || null,
      },
      {
        id: 'ingest',
        title: t('health.ingest'),
        facts: [
          { id: 'spool', label: t('health.spool'), value: formatBytes(ingest.spoolBytes) },
          { id: 'backlog', label: t('health.backlog'), value: formatNumber(ingest.backlog) },
          { id: 'written', label: t('health.written'), value: formatNumber(ingest.written) },
          { id: 'dropped', label: t('health.droppedTotal'), value: formatNumber(ingest.droppedTotal) },
        ],
        error: null,
      },
    ],
    droppedTotal: ingest.droppedTotal ?? 0,
    byReason: reasons.map((r) => ({ reason: r.reason, label: reasonLabel(r.reason), count: formatNumber(r.count) })),
    byServer: [...(ingest.droppedByServer ?? [])]
      .filter((s) => s.count > 0)
      .sort(byCountDesc)
      .map((s) => ({
        key: `${s.serverId}|${s.reason}`,
        serverId: s.serverId,
        name: s.name || s.serverId,
        reason: reasonLabel(s.reason),
        count: formatNumber(s.count),
      })),
  };
}
