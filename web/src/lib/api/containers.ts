import type { ApiClient } from './client';
import type { ContainersAt } from './types';

/** The stored containers nearest to `at` (epoch ms). */
export function getContainersAt(api: ApiClient, serverId: string, at: number, signal?: AbortSignal): Promise<ContainersAt> {
  return api.get<ContainersAt>(
    `/api/v1/servers/${encodeURIComponent(serverId)}/containers`,
    { at: Math.round(at) },
    signal,
  );
}
