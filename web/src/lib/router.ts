import { readable } from 'svelte/store';
import { parseLogFilters, type LogFilters } from './logs/query';

export type Route =
  | { name: 'dashboard' }
  | { name: 'server'; id: string; at?: number }
  | { name: 'alerts' }
  | { name: 'processes'; id?: string }
  | { name: 'settings'; section?: string }
  | { name: 'profile'; linked?: string; linkError?: string }
  | { name: 'users' }
  | { name: 'signin'; code?: string; error?: string }
  | { name: 'password'; code?: string }
  | { name: 'logs'; filters: LogFilters }
  | { name: 'notFound'; path: string };

function params(query: string | undefined): URLSearchParams {
  return new URLSearchParams(query ?? '');
}

/**
 * Maps "#/…" to a screen: "#/" (or nothing) is the dashboard, "#/servers/<id>" one server,
 * "#/processes[/<id>]" the live process view, "#/settings[?section=<id>]" the settings (scrolled to one card).
 */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { name: 'dashboard' };
  if (/^\/alerts\/?$/.test(path)) return { name: 'alerts' };
  const settings = /^\/settings\/?(?:\?(.*))?$/.exec(path);
  if (settings) {
    const section = params(settings[1]).get('section');
    return section ? { name: 'settings', section } : { name: 'settings' };
  }
  if (path === '/users') return { name: 'users' };
  const profile = /^\/profile\/?(?:\?(.*))?$/.exec(path);
  if (profile) {
    const q = params(profile[1]);
    return { name: 'profile', linked: q.get('linked') ?? undefined, linkError: q.get('linkError') ?? undefined };
  }
  // Where a social sign-in lands: a single-use code for /api/v1/auth/exchange, or why it failed.
  const signin = /^\/signin\/?(?:\?(.*))?$/.exec(path);
  if (signin) {
    const q = params(signin[1]);
    return { name: 'signin', code: q.get('code') ?? undefined, error: q.get('error') ?? undefined };
  }
  // An invite or password-reset code an admin handed over.
  const password = /^\/password\/?(?:\?(.*))?$/.exec(path);
  if (password) return { name: 'password', code: params(password[1]).get('code') ?? undefined };
  const logs = /^\/logs\/?(?:\?(.*))?$/.exec(path);
  if (logs) return { name: 'logs', filters: parseLogFilters(logs[1] ?? '') };
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
export const profileHref = '#/profile';
export const usersHref = '#/users';

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
