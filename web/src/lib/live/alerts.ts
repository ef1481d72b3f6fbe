import { writable } from 'svelte/store';
import { api } from '../api';
import { listNotifications, markAllRead, markRead, type AlertEvent, type AppNotification } from '../api/alerts';
import type { LiveService } from './service';

/** In-app notifications: loaded once, then kept current by `notification` messages on the socket. */
export const notifications = writable<AppNotification[]>([]);
export const unread = writable(0);

const alertListeners = new Set<(e: AlertEvent) => void>();

/** Every `alert` message (a transition or an acknowledgement), for lists that show events live. */
export function onAlert(listener: (e: AlertEvent) => void): () => void {
  alertListeners.add(listener);
  return () => alertListeners.delete(listener);
}

export function bindAlerts(service: LiveService): () => void {
  return service.on('message', (m) => {
    if (m.type === 'notification') {
      const n = m as unknown as AppNotification;
      notifications.update((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, 100));
      if (!n.read) unread.update((c) => c + 1);
    } else if (m.type === 'alert') {
      const e = m as unknown as AlertEvent;
      alertListeners.forEach((l) => l(e));
    }
  });
}

export async function loadNotifications(): Promise<void> {
  const page = await listNotifications(api);
  notifications.set(page.items);
  unread.set(page.unread);
}

export async function readOne(id: string): Promise<void> {
  await markRead(api, id);
  notifications.update((list) => list.map((n) => (n.id === id ? { ...n, read: true } : n)));
  unread.update((c) => Math.max(0, c - 1));
}

export async function readAll(): Promise<void> {
  await markAllRead(api);
  notifications.update((list) => list.map((n) => ({ ...n, read: true })));
  unread.set(0);
}

export function resetNotifications(): void {
  notifications.set([]);
  unread.set(0);
}
