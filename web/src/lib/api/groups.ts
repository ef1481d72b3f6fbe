import type { ApiClient } from './client';
import type { ServerGroup, ServerGrouping } from './types';

const BASE = '/api/v1/server-groups';
const enc = encodeURIComponent;

export const listGroups = (api: ApiClient, signal?: AbortSignal) => api.get<ServerGroup[]>(BASE, undefined, signal);
export const createGroup = (api: ApiClient, name: string) => api.post<ServerGroup>(BASE, { name });
export const renameGroup = (api: ApiClient, id: string, name: string) =>
  api.request<ServerGroup>('PATCH', `${BASE}/${enc(id)}`, { body: { name } });
export const deleteGroup = (api: ApiClient, id: string) => api.request<void>('DELETE', `${BASE}/${enc(id)}`);

/** Replaces a server's group (null: none) and tags. */
export const setGrouping = (api: ApiClient, serverId: string, grouping: ServerGrouping) =>
  api.request<ServerGrouping>('PUT', `/api/v1/servers/${enc(serverId)}/grouping`, { body: grouping });
