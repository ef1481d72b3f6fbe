import type { ApiClient } from './client';
import type { ProcessesAt } from './types';

/** The stored top processes nearest to `at` (epoch ms). */
export function getProcessesAt(api: ApiClient, serverId: string, at: number, signal?: AbortSignal): Promise<ProcessesAt> {
  return api.get<ProcessesAt>(
    `/api/v1/servers/${encodeURIComponent(serverId)}/processes`,
    { at: Math.round(at) },
    signal,
  );
}
