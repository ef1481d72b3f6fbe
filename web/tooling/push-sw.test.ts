import { describe, expect, it, vi } from 'vitest';
import { serviceWorker } from './pwa';

/** Runs the generated worker against a fake ServiceWorkerGlobalScope and returns its event handlers. */
function load() {
  const handlers: Record<string, (e: unknown) => void> = {};
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const clientsList: { url: string; focus: () => Promise<unknown>; navigate: (u: string) => Promise<unknown> }[] = [];
  const self = {
    registration: {
      scope: 'https://flick.example.com/',
      showNotification: (title: string, options: Record<string, unknown>) => (shown.push({ title, options }), Promise.resolve()),
    },
    addEventListener: (type: string, fn: (e: unknown) => void) => (handlers[type] = fn),
    clients: { matchAll: () => Promise.resolve(clientsList), openWindow: vi.fn(() => Promise.resolve(null)), claim: () => Promise.resolve() },
    skipWaiting: () => Promise.resolve(),
  };
  new Function('self', 'caches', serviceWorker(['./']))(self, {});
  return { handlers, shown, clientsList, self };
}

function event(extra: Record<string, unknown>) {
  let waited: Promise<unknown> = Promise.resolve();
  return { e: { ...extra, waitUntil: (p: Promise<unknown>) => (waited = p) }, done: () => waited };
}

describe('service worker push', () => {
  const payload = { title: 'critical: CPU usage on web-1 is 96.5 %', body: 'Rule “CPU hot”.', level: 'critical', tag: 'flick-r-s', url: '#/servers/s1?at=1764150000000', ts: 1764150000000 };

  it('shows the alert with its tag and keeps a critical one on screen', async () => {
    const { handlers, shown } = load();
    const { e, done } = event({ data: { json: () => payload, text: () => JSON.stringify(payload) } });
    handlers.push(e);
    await done();
    expect(shown).toHaveLength(1);
    expect(shown[0].title).toBe(payload.title);
    expect(shown[0].options).toMatchObject({ body: payload.body, tag: 'flick-r-s', requireInteraction: true, data: { url: payload.url, level: 'critical' } });
  });

  it('opens the app at the server moment on click, or focuses an open window there', async () => {
    const { handlers, self, clientsList } = load();
    const close = vi.fn();
    let click = event({ notification: { close, data: { url: payload.url } } });
    handlers.notificationclick(click.e);
    await click.done();
    expect(close).toHaveBeenCalled();
    expect(self.clients.openWindow).toHaveBeenCalledWith('https://flick.example.com/#/servers/s1?at=1764150000000');

    const navigate = vi.fn((u: string) => Promise.resolve({ url: u, focus: () => Promise.resolve() }));
    clientsList.push({ url: 'https://flick.example.com/#/', focus: () => Promise.resolve(), navigate });
    click = event({ notification: { close, data: { url: payload.url } } });
    handlers.notificationclick(click.e);
    await click.done();
    expect(navigate).toHaveBeenCalledWith('https://flick.example.com/#/servers/s1?at=1764150000000');
  });
});
