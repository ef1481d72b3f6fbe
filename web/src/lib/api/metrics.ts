import type { ApiClient } from './client';
import type { MetricsHistory } from './types';

export interface MetricsQuery {
  from: number;
  to: number;
  /** Bucket size in ms; the hub picks the tier when absent. */
  step?: number;
}

export function getMetrics(
  api: ApiClient,
  serverId: string,
  query: MetricsQuery,
  signal?: AbortSignal,
): Promise<MetricsHistory> {
  return api.get<MetricsHistory>(
    `/api/v1/servers/${encodeURIComponent(serverId)}/metrics`,
    { from: Math.round(query.from), to: Math.round(query.to), step: query.step },
    signal,
  );
}
