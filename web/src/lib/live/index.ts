import { api } from '../api';
import { AlertCounts, bindAlerts, resetNotifications, seedAlertCounts } from './alerts';
import { LiveService } from './service';
import { HubContact } from './staleness';
import { LiveStore } from './stores';
import { get } from 'svelte/store';

export type { ConnectionView } from './stores';
export type { LiveState } from './service';

function socketUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/v1/ws`;
}

/** The app's one live connection and the stores over it. */
export const live = new LiveService({
  url: typeof location !== 'undefined' ? socketUrl() : 'ws://localhost/api/v1/ws',
  getToken: (minValidityMs) => api.freshToken(minValidityMs),
  refreshToken: () => api.refresh(),
  // The overview draws summaries; screens that chart one server watch it for whole snapshots.
  summary: true,
});

export const liveStore = new LiveStore(live);
bindAlerts(live);

/** Firing alerts per server (overview badges), kept current by the hub's live alert messages. */
export const alertCounts = new AlertCounts();
live.on('message', (m) => {
  if (m.type === 'alert') alertCounts.apply(m);
});

let unbind: (() => void) | null = null;

/** Starts the socket and follows the browser's online/offline signals. */
export function startLive(): void {
  live.start();
  if (unbind || typeof window === 'undefined') return;
  seedAlertCounts(alertCounts).catch(() => {
    /* badges fill in from live transitions */
  });
  const update = () => {
    liveStore.online.set(navigator.onLine);
    if (navigator.onLine) live.reconnectNow();
  };
  update();
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  unbind = () => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  };
}

export function stopLive(): void {
  live.stop();
  liveStore.reset();
  resetNotifications();
  alertCounts.reset();
  unbind?.();
  unbind = null;
}

/** Since when the hub is out of reach (null: live); every screen greys its values and a banner says since when. */
export const hubContact = new HubContact();
live.on('state', (s) => hubContact.update(s, get(liveStore.online)));
liveStore.online.subscribe((o) => hubContact.update(live.state, o));
