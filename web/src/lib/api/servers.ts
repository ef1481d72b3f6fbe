import type { ApiClient } from './client';
import type { Server } from './types';

const BASE = '/api/v1/servers';

export function listServers(api: ApiClient, signal?: AbortSignal): Promise<Server[]> {
  return api.get<Server[]>(BASE, undefined, signal);
}

export function getServer(api: ApiClient, id: string, signal?: AbortSignal): Promise<Server> {
  return api.get<Server>(`${BASE}/${encodeURIComponent(id)}`, undefined, signal);
}
