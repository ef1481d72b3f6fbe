import type { ApiClient } from './client';

/** Overall: DEGRADED when snapshots were dropped or a part is struggling, DOWN when data cannot be stored now. */
export type IngestStatus = 'UP' | 'DEGRADED' | 'DOWN';
export type ComponentStatus = 'UP' | 'DOWN';

/** Why a snapshot was not stored: "backlog-full", "rejected", "spool-full" (the hub may add more). */
export type DropReason = 'backlog-full' | 'rejected' | 'spool-full' | (string & {});

export interface DatabaseHealth {
  status: ComponentStatus;
  /** The last write's latency. */
  writeLatencyMs: number | null;
  lastError: string | null;
  /** Epoch ms since when the database has been unreachable (null while UP). */
  downSince: number | null;
}

export interface DataDiskHealth {
  status: ComponentStatus;
  path: string;
  freeBytes: number;
  /** DOWN below this many free bytes (FLICK_MIN_FREE_BYTES). */
  thresholdBytes: number;
  lastError: string | null;
}

export interface ServerDrops {
  serverId: string;
  name: string | null;
  reason: DropReason;
  count: number;
}

export interface IngestCounters {
  spoolBytes: number;
  /** Records held in memory while the spool cannot be written. */
  backlog: number;
  written: number;
  droppedTotal: number;
  dropped: Partial<Record<DropReason, number>>;
  droppedByServer: ServerDrops[];
}

/** GET /api/v1/settings/ingest: the write path's health (docs/durability.md). */
export interface IngestHealth {
  status: IngestStatus;
  database: DatabaseHealth;
  dataDisk: DataDiskHealth;
  ingest: IngestCounters;
}

/** Administrators only: others get 403. */
export function getIngestHealth(api: ApiClient, signal?: AbortSignal): Promise<IngestHealth> {
  return api.get<IngestHealth>('/api/v1/settings/ingest', undefined, signal);
}
