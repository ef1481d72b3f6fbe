import type { ApiClient } from './client';

/** Why samples were never sent (docs/prometheus-remote-write.md, "Bounds"). */
export type RemoteWriteDropReason = 'bytes' | 'age' | 'backlog' | 'queue-unwritable' | (string & {});

/** How far behind the receiver is and why. */
export interface RemoteWriteStatus {
  enabled: boolean;
  queuedSamples: number;
  queuedSnapshots: number;
  queuedBytes: number;
  /** Age of the oldest unsent sample; absent when none waits. */
  lagMs?: number | null;
  sentSamples: number;
  rejectedSamples: number;
  droppedSamples: number;
  dropped: Partial<Record<RemoteWriteDropReason, number>>;
  lastError?: string | null;
  lastErrorAt?: number | null;
  lastSentAt?: number | null;
}

/** GET/PUT answer: secrets are never given back, only whether one is stored. Absent url: remote write is off. */
export interface RemoteWriteSettings {
  url?: string | null;
  hasBearerToken: boolean;
  basicUsername?: string | null;
  hasBasicPassword: boolean;
  extraLabels?: Record<string, string> | null;
  status?: RemoteWriteStatus | null;
}

/**
 * PUT body. url "" turns remote write off. bearerToken / basicPassword: absent keeps the stored one, "" removes it;
 * basicUsername "" removes basic auth (and its password).
 */
export interface RemoteWriteUpdate {
  url: string;
  bearerToken?: string;
  basicUsername?: string;
  basicPassword?: string;
  extraLabels: Record<string, string>;
}

const PATH = '/api/v1/settings/remote-write';

export function getRemoteWrite(api: ApiClient, signal?: AbortSignal): Promise<RemoteWriteSettings> {
  return api.get<RemoteWriteSettings>(PATH, undefined, signal);
}

export function putRemoteWrite(api: ApiClient, body: RemoteWriteUpdate): Promise<RemoteWriteSettings> {
  return api.request<RemoteWriteSettings>('PUT', PATH, { body });
}
