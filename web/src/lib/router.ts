import { readable } from 'svelte/store';

export type Route =
  | { name: 'dashboard' }
  | { name: 'server'; id: string; at?: number }
  | { name: 'alerts' }
  | { name: 'processes'; id?: string }
  | { name: 'settings' }
  | { name: 'notFound'; path: string };

/**
 * Maps "#/…" to a screen: "#/" (or nothing) is the dashboard, "#/servers/<id>" one server,
 * "#/processes[/<id>]" the live process view, "#/settings" the settings.
 */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { name: 'dashboard' };
  if (/^\/alerts\/?$/.test(path)) return { name: 'alerts' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/processes') return { name: 'processes' };
  const p = /^\/processes\/([^/?#]+)\/?$/.exec(path);
  if (p) {
    try {
      return { name: 'processes', id: decodeURIComponent(p[1]) };
    } catch {
      return { name: 'notFound', path };
    }
  }
  // "?at=<ts>": the moment an alert email or webhook links back to.
  const m = /^\/servers\/([^/?#]+)\/?(?:\?at=(\d+))?$/.exec(path);
  if (m) {
    try {
      const id = decodeURIComponent(m[1]);
      return m[2] ? { name: 'server', id, at: Number(m[2]) } : { name: 'server', id };
    } catch {
      return { name: 'notFound', path };
    }
  }
  return { name: 'notFound', path };
}

export function serverHref(id: string): string {
  return `#/servers/${encodeURIComponent(id)}`;
}

export const alertsHref = '#/alerts';

export function processesHref(id?: string): string {
  return id ? `#/processes/${encodeURIComponent(id)}` : '#/processes';
}

export function navigate(href: string): void {
  location.hash = href.replace(/^#/, '');
}

export const route = readable<Route>(
  typeof location === 'undefined' ? { name: 'dashboard' } : parseHash(location.hash),
  (set) => {
    const update = () => set(parseHash(location.hash));
    update();
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  },
);
