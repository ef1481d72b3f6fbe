import type { ApiClient } from './client';

/** A browser subscribed to Web Push; the endpoint and keys stay on the hub, only the push service's host shows. */
export interface PushDevice {
  id: string;
  name?: string;
  userAgent?: string;
  service: string;
  createdAt: number;
  lastDeliveredAt?: number;
  lastError?: string;
}
export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  name?: string;
}

const BASE = '/api/v1/push';

export const vapidPublicKey = (api: ApiClient) => api.get<{ publicKey: string }>(`${BASE}/vapid-public-key`);
export const listPushDevices = (api: ApiClient) => api.get<PushDevice[]>(`${BASE}/subscriptions`);
export const addPushDevice = (api: ApiClient, s: PushSubscriptionInput) => api.post<PushDevice>(`${BASE}/subscriptions`, s);
export const removePushDevice = (api: ApiClient, id: string) =>
  api.request<void>('DELETE', `${BASE}/subscriptions/${encodeURIComponent(id)}`);
