import type { ApiClient, Query } from './client';

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';
export type LogSource = 'hub' | 'journal' | 'syslog';

/** One stored line: the hub's own event (source "hub", with actor and target) or a server's system log. */
export interface LogItem {
  id: number;
  ts: number;
  serverId?: string;
  source: LogSource | string;
  level: LogLevel | string;
  unit?: string;
  message: string;
  actor?: string;
  target?: string;
}

export interface LogPage {
  items: LogItem[];
  nextCursor?: string;
}

/** Newest first; query from lib/logs/query.ts (apiQuery). */
export function getLogs(api: ApiClient, query: Query, signal?: AbortSignal): Promise<LogPage> {
  return api.get<LogPage>('/api/v1/logs', query, signal);
}

/** How long each kind of data is kept, as ISO-8601 durations ("P30D", "PT12H"). */
export interface RetentionSettings {
  raw: string;
  minute: string;
  hour: string;
  logs: string;
  events: string;
}

export function getRetention(api: ApiClient, signal?: AbortSignal): Promise<RetentionSettings> {
  return api.get<RetentionSettings>('/api/v1/settings/retention', undefined, signal);
}

export function putRetention(api: ApiClient, settings: RetentionSettings): Promise<RetentionSettings> {
  return api.request<RetentionSettings>('PUT', '/api/v1/settings/retention', { body: settings });
}

export interface StorageTable {
  name: string;
  rows: number;
  bytes: number;
}

/** How the metrics tables are laid out: one SQLite file, PostgreSQL partitions, or TimescaleDB hypertables. */
export type StorageLayout = 'sqlite' | 'partitions' | 'timescaledb' | (string & {});

export type StorageTierId = 'raw' | '1m' | '1h' | (string & {});

/** One history tier's share of the storage. */
export interface StorageTier {
  tier: StorageTierId;
  bytes: number;
  /** Raw: snapshots stored; rollups: rows. */
  rows: number;
  /** Raw: the compressed minute blocks holding the snapshots. */
  blocks?: number;
  /** Epoch ms of the oldest and newest data; absent when the tier is empty. */
  oldest?: number;
  newest?: number;
}

export interface StorageReport {
  database: 'sqlite' | 'postgresql' | string;
  /** The SQLite file's size on disk (absent on PostgreSQL). */
  fileBytes?: number;
  totalBytes: number;
  tables: StorageTable[];
  /** Absent from hubs older than the tiered layout. */
  layout?: StorageLayout;
  tiers?: StorageTier[];
}

export function getStorage(api: ApiClient, signal?: AbortSignal): Promise<StorageReport> {
  return api.get<StorageReport>('/api/v1/settings/storage', undefined, signal);
}
