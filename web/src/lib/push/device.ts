import type { PushDevice, PushSubscriptionInput } from '../api/push';

/**
 * Where this browser stands with Web Push: unsupported (no service worker / PushManager, or not a secure
 * context), denied (the user blocked notifications), subscribed (its endpoint is among the hub's devices),
 * or available (it could subscribe).
 */
export type PushState = 'unsupported' | 'denied' | 'subscribed' | 'available';

export interface PushEnvironment {
  supported: boolean;
  permission: NotificationPermission | 'unsupported';
  /** This browser's current subscription endpoint, if any. */
  endpoint: string | null;
}

export function pushState(env: PushEnvironment, hubHasIt: boolean): PushState {
  if (!env.supported || env.permission === 'unsupported') return 'unsupported';
  if (env.permission === 'denied') return 'denied';
  return env.endpoint && hubHasIt ? 'subscribed' : 'available';
}

/** The VAPID key as PushManager.subscribe wants it: base64url text to bytes. */
export function applicationServerKey(base64url: string): Uint8Array {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** PushSubscription.toJSON() in the hub's request shape, with a default name from the user agent. */
export function subscriptionInput(json: PushSubscriptionJSON, name: string): PushSubscriptionInput {
  if (!json.endpoint || !json.keys?.p256dh || !json.keys?.auth) throw new Error('incomplete push subscription');
  return { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth }, name: name.trim() || undefined };
}

/** "Chrome on Android", "Safari on iPhone", … from a user agent; a short fallback otherwise. */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : '';
  const os = /iPhone|iPad/.test(ua)
    ? /iPad/.test(ua) ? 'iPad' : 'iPhone'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  if (browser && os) return `${browser} · ${os}`;
  return browser || os || ua.slice(0, 40);
}

/** Whether the hub's list holds this browser: the hub never returns endpoints, so the id saved at subscribe time says. */
export function isThisDevice(d: PushDevice, savedId: string | null): boolean {
  return savedId !== null && d.id === savedId;
}
