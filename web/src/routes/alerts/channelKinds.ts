// The channel editor's view logic: each kind's fields, validation and the request it saves.
import type { Channel, ChannelInput, ChannelTemplates, ChannelType, TemplateKind } from '../../lib/api/alerts';

export interface KindField {
  name: string;
  /** Sealed on the hub and never shown again: blank on edit keeps the stored one. */
  secret?: boolean;
  required?: boolean;
  url?: boolean;
  placeholder?: string;
}

export const KINDS: Record<ChannelType, KindField[]> = {
  email: [{ name: 'to', required: true, placeholder: 'ops@example.com' }],
  webhook: [{ name: 'url', secret: true, required: true, url: true, placeholder: 'https://hooks.example.com/…' }],
  telegram: [
    { name: 'botToken', secret: true, required: true, placeholder: '123456:ABC-DEF…' },
    { name: 'chatId', required: true, placeholder: '-1001234567890' },
    { name: 'apiUrl', url: true, placeholder: 'https://api.telegram.org' },
  ],
  ntfy: [
    { name: 'url', secret: true, required: true, url: true, placeholder: 'https://ntfy.sh/my-topic' },
    { name: 'token', secret: true, placeholder: 'tk_…' },
  ],
  gotify: [
    { name: 'url', required: true, url: true, placeholder: 'https://gotify.example.com' },
    { name: 'token', secret: true, required: true },
  ],
  pushover: [
    { name: 'userKey', secret: true, required: true },
    { name: 'appToken', secret: true, required: true },
    { name: 'apiUrl', url: true, placeholder: 'https://api.pushover.net' },
  ],
  teams: [{ name: 'url', secret: true, required: true, url: true, placeholder: 'https://…logic.azure.com/workflows/…' }],
  matrix: [
    { name: 'homeserverUrl', required: true, url: true, placeholder: 'https://matrix.example.org' },
    { name: 'accessToken', secret: true, required: true },
    { name: 'roomId', required: true, placeholder: '!abc:example.org' },
  ],
  mattermost: [{ name: 'url', secret: true, required: true, url: true, placeholder: 'https://chat.example.com/hooks/…' }],
  rocketchat: [{ name: 'url', secret: true, required: true, url: true, placeholder: 'https://chat.example.com/hooks/…' }],
  googlechat: [{ name: 'url', secret: true, required: true, url: true, placeholder: 'https://chat.googleapis.com/v1/spaces/…' }],
  pagerduty: [
    { name: 'routingKey', secret: true, required: true },
    { name: 'apiUrl', url: true, placeholder: 'https://events.pagerduty.com' },
  ],
  opsgenie: [
    { name: 'apiKey', secret: true, required: true },
    { name: 'apiUrl', url: true, placeholder: 'https://api.opsgenie.com' },
  ],
};

export const TYPES = Object.keys(KINDS) as ChannelType[];
export const TEMPLATE_KINDS: TemplateKind[] = ['firing', 'reminder', 'resolved'];
export const PLACEHOLDERS = ['server', 'rule', 'metric', 'value', 'threshold', 'level', 'link', 'processes', 'title', 'kind', 'time'];

/** Kinds whose messages the owner may template (a webhook only with format custom). */
export function templated(type: ChannelType, format?: string): boolean {
  return type !== 'email' && (type !== 'webhook' || format === 'custom');
}

/** The first placeholder a template names that the hub does not know (a title may not quote {{title}}). */
export function unknownPlaceholder(template: string | undefined, isTitle: boolean): string | undefined {
  for (const m of (template ?? '').matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    if (!PLACEHOLDERS.includes(m[1]) || (isTitle && m[1] === 'title')) return m[1];
  }
  return undefined;
}

export interface Draft {
  name: string;
  type: ChannelType;
  values: Record<string, string>;
  format: string;
  headers: string; // "Name: value" per line
  templates: ChannelTemplates;
  allowPrivate: boolean;
}

export function emptyDraft(type: ChannelType = 'email'): Draft {
  return { name: '', type, values: {}, format: 'json', headers: '', templates: {}, allowPrivate: false };
}

/** A draft from a stored channel: plain fields filled in, secrets blank (kept unless retyped). */
export function draftOf(c: Channel): Draft {
  const values: Record<string, string> = {};
  for (const f of KINDS[c.type]) {
    const v = c.config[f.name];
    if (f.name === 'to' && Array.isArray(v)) values.to = v.join(', ');
    else if (!f.secret && typeof v === 'string') values[f.name] = v;
  }
  return {
    name: c.name,
    type: c.type,
    values,
    format: c.config.format ?? 'json',
    headers: (c.config.headerNames ?? []).map((h) => `${h}: `).join('\n'),
    templates: structuredClone(c.config.templates ?? {}),
    allowPrivate: c.allowPrivate,
  };
}

/** Whether a stored channel already has a secret field (so leaving it blank is fine). */
export function hasSecret(c: Channel | undefined, field: string): boolean {
  return !!c && c.config[`has${field[0].toUpperCase()}${field.slice(1)}`] === true;
}

export type Problems = Record<string, { key: string; params?: Record<string, string> }>;

/** Field errors named like the hub's (config.x), as message keys. */
export function validate(d: Draft, editing?: Channel): Problems {
  const out: Problems = {};
  if (!d.name.trim()) out.name = { key: 'channels.error.required' };
  const same = editing && editing.type === d.type ? editing : undefined;
  for (const f of KINDS[d.type]) {
    const v = (d.values[f.name] ?? '').trim();
    const field = `config.${f.name}`;
    if (!v) {
      if (f.required && !(f.secret && hasSecret(same, f.name))) out[field] = { key: 'channels.error.required' };
      continue;
    }
    if (f.url && !/^https?:\/\/[^/\s]+/i.test(v)) out[field] = { key: 'channels.error.url' };
    if (f.name === 'roomId' && !/^[!#][^:]+:.+/.test(v)) out[field] = { key: 'channels.error.roomId' };
    if (f.name === 'to' && v.split(',').some((a) => a.trim() && !/^[^@\s]+@[^@\s]+$/.test(a.trim()))) {
      out[field] = { key: 'channels.error.email' };
    }
  }
  if (d.type === 'webhook') {
    for (const line of d.headers.split('\n').filter((l) => l.trim())) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+:/.test(line)) out['config.headers'] = { key: 'channels.error.header', params: { line } };
    }
  }
  if (templated(d.type, d.format)) {
    for (const k of TEMPLATE_KINDS) {
      for (const part of ['title', 'body'] as const) {
        const bad = unknownPlaceholder(d.templates[k]?.[part], part === 'title');
        if (bad !== undefined) out[`config.templates.${k}.${part}`] = { key: 'channels.error.placeholder', params: { name: bad } };
      }
    }
  }
  return out;
}

/** The templates worth sending: blank parts fall back to the service's defaults. */
export function templatesOf(t: ChannelTemplates): ChannelTemplates {
  const out: ChannelTemplates = {};
  for (const k of TEMPLATE_KINDS) {
    const title = t[k]?.title?.trim() ? t[k]!.title : undefined;
    const body = t[k]?.body?.trim() ? t[k]!.body : undefined;
    if (title !== undefined || body !== undefined) out[k] = { ...(title !== undefined && { title }), ...(body !== undefined && { body }) };
  }
  return out;
}

/** The request body for create or update; blank secrets are left out so the hub keeps the stored ones. */
export function toInput(d: Draft): ChannelInput {
  const config: Record<string, unknown> = {};
  if (d.type === 'email') {
    config.to = (d.values.to ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  } else {
    for (const f of KINDS[d.type]) {
      const v = (d.values[f.name] ?? '').trim();
      if (v) config[f.name] = v;
    }
    if (d.type === 'webhook') {
      config.format = d.format;
      const lines = d.headers.split('\n').filter((l) => l.trim());
      if (lines.length) {
        config.headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
      }
    }
    if (templated(d.type, d.format)) config.templates = templatesOf(d.templates);
  }
  return { name: d.name.trim(), type: d.type, config, allowPrivate: d.type !== 'email' && d.allowPrivate ? true : undefined };
}

/** One line that shows a stored channel without any secret. */
export function summary(c: Channel): string {
  if (c.type === 'email') return c.config.to?.join(', ') ?? '';
  const shown = KINDS[c.type]
    .filter((f) => typeof c.config[f.name] === 'string')
    .map((f) => c.config[f.name] as string);
  if (c.type === 'webhook') shown.push(c.config.format ?? 'json');
  return shown.join(' · ');
}
