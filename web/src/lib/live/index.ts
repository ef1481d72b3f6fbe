import { api } from '../api';
import { LiveService } from './service';
import { bindAlerts, resetNotifications } from './alerts';
import { LiveStore } from './stores';

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
});

export const liveStore = new LiveStore(live);
bindAlerts(live);

let unbind: (() => void) | null = null;

/** Starts the socket and follows the browser's online/offline signals. */
export function startLive(): void {
  live.start();
  if (unbind || typeof window === 'undefined') return;
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
  unbind?.();
  unbind = null;
}
