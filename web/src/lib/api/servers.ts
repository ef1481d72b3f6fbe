import type { ApiClient } from './client';
import type { Server, ServerInput } from './types';

const BASE = '/api/v1/servers';

export function listServers(api: ApiClient, signal?: AbortSignal): Promise<Server[]> {
  return api.get<Server[]>(BASE, undefined, signal);
}

export function getServer(api: ApiClient, id: string, signal?: AbortSignal): Promise<Server> {
  return api.get<Server>(`${BASE}/${encodeURIComponent(id)}`, undefined, signal);
}

export function createServer(api: ApiClient, input: ServerInput): Promise<Server> {
  return api.post<Server>(BASE, input);
}

export function updateServer(api: ApiClient, id: string, input: ServerInput): Promise<Server> {
  return api.request<Server>('PATCH', `${BASE}/${encodeURIComponent(id)}`, { body: input });
}

export function deleteServer(api: ApiClient, id: string): Promise<void> {
  return api.request<void>('DELETE', `${BASE}/${encodeURIComponent(id)}`);
}

/** A new agent token (shown once); the old one is revoked and its agent disconnected. */
export function regenerateToken(api: ApiClient, id: string): Promise<Server> {
  return api.post<Server>(`${BASE}/${encodeURIComponent(id)}/token`);
}

export function acceptHostKey(api: ApiClient, id: string, fingerprint: string): Promise<Server> {
  return api.post<Server>(`${BASE}/${encodeURIComponent(id)}/host-key/accept`, { fingerprint });
}

/** Refuses the offered host key: the hub does not log in to that server. */
export function rejectHostKey(api: ApiClient, id: string, fingerprint: string): Promise<Server> {
  return api.post<Server>(`${BASE}/${encodeURIComponent(id)}/host-key/reject`, { fingerprint });
}

/** A fresh one-line install command (single-use code, 15 minutes) for an agent server; the token changes when it runs. */
export function newInstallCommand(api: ApiClient, id: string): Promise<Server> {
  return api.post<Server>(`/api/v1/servers/${encodeURIComponent(id)}/install`);
}
