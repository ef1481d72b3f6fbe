import type { ApiClient } from './client';

/** A maintenance window: no notifications for a server and/or rule (neither: the whole hub) from startsAt to endsAt. */
export interface Silence {
  id: string;
  serverId?: string;
  ruleId?: string;
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy?: string;
  createdAt: number;
}
export type SilenceInput = Pick<Silence, 'serverId' | 'ruleId' | 'startsAt' | 'endsAt' | 'comment'>;

const BASE = '/api/v1/silences';

export const listSilences = (api: ApiClient) => api.get<Silence[]>(BASE);
export const createSilence = (api: ApiClient, s: SilenceInput) => api.post<Silence>(BASE, s);
export const deleteSilence = (api: ApiClient, id: string) => api.request<void>('DELETE', `${BASE}/${encodeURIComponent(id)}`);
