import { writable, type Readable } from 'svelte/store';
import { api } from '../api';
import {
  clearNotification,
  clearNotifications,
  listEvents,
  listNotifications,
  markAllRead,
  markRead,
  type AlertEvent,
  type AppNotification,
} from '../api/alerts';
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
      const { type: _type, ...n } = m;
      notifications.update((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, 100));
      if (!n.read) unread.update((c) => c + 1);
    } else if (m.type === 'alert') {
      const { type: _type, ...e } = m;
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

export async function clearOne(id: string): Promise<void> {
  await clearNotification(api, id);
  let wasUnread = false;
  notifications.update((list) => {
    wasUnread = list.some((n) => n.id === id && !n.read);
    return list.filter((n) => n.id !== id);
  });
  if (wasUnread) unread.update((c) => Math.max(0, c - 1));
}

export async function clearAll(): Promise<void> {
  await clearNotifications(api);
  notifications.set([]);
  unread.set(0);
}

/** Firing alerts from the hub's events list, so overview badges are right before the next transition arrives. */
export async function seedAlertCounts(counts: AlertCounts): Promise<void> {
  const events = await listEvents(api, { state: 'firing' });
  counts.seed(events);
}

export function resetNotifications(): void {
  notifications.set([]);
  unread.set(0);
}

/** The part of an alert event (API.md, "Alerts") the overview badge needs. */
export interface AlertTransition {
  id: string | number;
  serverId: string;
  state: 'firing' | 'resolved' | string;
}

/**
 * Firing alerts per server, for the badge on each overview card: fed by the hub's live `{"type":"alert"}` messages
 * (every transition) and by `seed` with the events list when a screen loads it.
 */
export class AlertCounts {
  private readonly firing = new Map<string, Set<string>>();
  private readonly store = writable<Readonly<Record<string, number>>>({});
  readonly counts: Readable<Readonly<Record<string, number>>> = { subscribe: this.store.subscribe };

  apply(event: AlertTransition): void {
    if (!event || typeof event.serverId !== 'string' || event.id === undefined) return;
    const key = String(event.id);
    let ids = this.firing.get(event.serverId);
    if (event.state === 'firing') {
      if (!ids) this.firing.set(event.serverId, (ids = new Set()));
      if (ids.has(key)) return;
      ids.add(key);
    } else {
      if (!ids?.delete(key)) return;
    }
    this.publish();
  }

  /** Replaces everything with the currently firing events. */
  seed(events: readonly AlertTransition[]): void {
    this.firing.clear();
    for (const e of events) if (e.state === 'firing') this.apply(e);
    this.publish();
  }

  reset(): void {
    this.firing.clear();
    this.publish();
  }

  private publish(): void {
    const out: Record<string, number> = {};
    for (const [id, set] of this.firing) if (set.size) out[id] = set.size;
    this.store.set(out);
  }
}
