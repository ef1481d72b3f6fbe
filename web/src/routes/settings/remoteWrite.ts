import type { FieldError } from '../../lib/api/types';
import type { RemoteWriteSettings, RemoteWriteStatus, RemoteWriteUpdate } from '../../lib/api/remoteWrite';
import { formatBytes, formatDuration, formatMoment, formatNumber } from '../../lib/format';
import { t, type MessageKey } from '../../lib/i18n';

export type RemoteWriteAuth = 'none' | 'bearer' | 'basic';

export interface LabelRow {
  /** Stable id for the {#each} key; not sent. */
  id: number;
  name: string;
  value: string;
}

/** The form as the user edits it. Secrets start blank: a stored one is kept unless something is typed. */
export interface RemoteWriteDraft {
  enabled: boolean;
  url: string;
  auth: RemoteWriteAuth;
  bearerToken: string;
  basicUsername: string;
  basicPassword: string;
  labels: LabelRow[];
  hasBearerToken: boolean;
  hasBasicPassword: boolean;
}

export type RemoteWriteField = 'url' | 'bearerToken' | 'basicUsername' | 'basicPassword' | 'extraLabels';
export const REMOTE_WRITE_FIELDS: readonly RemoteWriteField[] = ['url', 'bearerToken', 'basicUsername', 'basicPassword', 'extraLabels'];

/** Errors to show: per input, and per label row (by the row's id). */
export interface RemoteWriteErrors {
  fields: Partial<Record<RemoteWriteField, string>>;
  rows: Record<number, string>;
}

export const MAX_LABELS = 20;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;
const RESERVED = new Set(['server', 'server_id', 'job', 'instance']);

let nextRowId = 1;
export function labelRow(name = '', value = ''): LabelRow {
  return { id: nextRowId++, name, value };
}

/** The form for what the hub holds; a draft being replaced keeps the URL typed before turning it off. */
export function draftFrom(s: RemoteWriteSettings, previous?: RemoteWriteDraft | null): RemoteWriteDraft {
  const url = s.url ?? '';
  const auth: RemoteWriteAuth = s.hasBearerToken ? 'bearer' : s.basicUsername ? 'basic' : 'none';
  return {
    enabled: url !== '',
    url: url || previous?.url || '',
    auth,
    bearerToken: '',
    basicUsername: s.basicUsername ?? '',
    basicPassword: '',
    labels: Object.entries(s.extraLabels ?? {}).map(([k, v]) => labelRow(k, v)),
    hasBearerToken: s.hasBearerToken,
    hasBasicPassword: s.hasBasicPassword,
  };
}

const filled = (rows: LabelRow[]) => rows.filter((r) => r.name.trim() !== '' || r.value !== '');

/** The PUT body: the other kind of auth is removed, a blank secret that is stored is left out (kept). */
export function toUpdate(d: RemoteWriteDraft): RemoteWriteUpdate {
  const body: RemoteWriteUpdate = {
    url: d.enabled ? d.url.trim() : '',
    extraLabels: Object.fromEntries(filled(d.labels).map((r) => [r.name.trim(), r.value])),
  };
  if (d.auth === 'bearer') {
    if (d.bearerToken.trim() !== '' || !d.hasBearerToken) body.bearerToken = d.bearerToken.trim();
    body.basicUsername = '';
    body.basicPassword = '';
  } else if (d.auth === 'basic') {
    body.bearerToken = '';
    body.basicUsername = d.basicUsername.trim();
    if (d.basicPassword !== '') body.basicPassword = d.basicPassword;
  } else {
    body.bearerToken = '';
    body.basicUsername = '';
    body.basicPassword = '';
  }
  return body;
}

/** Whether a stored secret would be kept (the input shows "stored — leave blank to keep"). */
export function keepsStored(d: RemoteWriteDraft, field: 'bearerToken' | 'basicPassword'): boolean {
  return field === 'bearerToken' ? d.hasBearerToken && d.bearerToken === '' : d.hasBasicPassword && d.basicPassword === '';
}

function labelNameProblem(name: string): boolean {
  return !LABEL_NAME.test(name) || name.startsWith('__') || RESERVED.has(name);
}

/** The hub's checks, made before sending so the messages come in the user's language at once. */
export function draftErrors(d: RemoteWriteDraft): RemoteWriteErrors {
  const fields: Partial<Record<RemoteWriteField, string>> = {};
  const rows: Record<number, string> = {};
  if (d.enabled) {
    const url = d.url.trim();
    if (url === '') fields.url = t('remoteWrite.error.urlRequired');
    else {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        parsed = null;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname) fields.url = t('remoteWrite.error.url');
      else if (parsed.username || parsed.password) fields.url = t('remoteWrite.error.urlCredentials');
    }
  }
  if (d.auth === 'bearer' && d.bearerToken.trim() === '' && !d.hasBearerToken) fields.bearerToken = t('remoteWrite.error.tokenRequired');
  if (d.auth === 'basic' && d.basicUsername.trim() === '') fields.basicUsername = t('remoteWrite.error.userRequired');
  const seen = new Set<string>();
  const rowsFilled = filled(d.labels);
  for (const r of rowsFilled) {
    const name = r.name.trim();
    if (labelNameProblem(name)) rows[r.id] = t('remoteWrite.error.labelName', { name: name || '""' });
    else if (seen.has(name)) rows[r.id] = t('remoteWrite.error.labelDuplicate', { name });
    else if (r.value === '' || r.value.length > 1000) rows[r.id] = t('remoteWrite.error.labelValue', { name });
    seen.add(name);
  }
  if (rowsFilled.length > MAX_LABELS) fields.extraLabels = t('remoteWrite.error.labelCount', { max: MAX_LABELS });
  return { fields, rows };
}

export const hasErrors = (e: RemoteWriteErrors) => Object.keys(e.fields).length > 0 || Object.keys(e.rows).length > 0;

/** A message the hub writes, and its key here; the pattern's named groups become the key's params. */
interface Known {
  pattern: RegExp;
  key: MessageKey;
}

/** The hub's field messages (RemoteWriteController), in the user's language; an unknown one is shown as it came. */
const FIELD_MESSAGES: Known[] = [
  { pattern: /^must be an http:\/\/ or https:\/\/ URL$/, key: 'remoteWrite.error.url' },
  { pattern: /^must not carry credentials/, key: 'remoteWrite.error.urlCredentials' },
  { pattern: /^is required/, key: 'remoteWrite.error.urlRequired' },
  { pattern: /^give a bearer token or basic auth, not both$/, key: 'remoteWrite.error.bothAuth' },
  { pattern: /^"(?<name>.*)" is not a label name FLick may add/, key: 'remoteWrite.error.labelName' },
  { pattern: /^the value of "(?<name>.*)" must be 1–1000 characters$/, key: 'remoteWrite.error.labelValue' },
  { pattern: /^at most (?<max>\d+) labels$/, key: 'remoteWrite.error.labelCount' },
];

function translate(table: Known[], message: string): { text: string; params: Record<string, string> } {
  for (const { pattern, key } of table) {
    const m = pattern.exec(message);
    if (m) {
      const params = { ...(m.groups ?? {}) };
      return { text: t(key, params), params };
    }
  }
  return { text: message, params: {} };
}

/**
 * A 400's field errors placed where they belong: a label's message next to that label's row, the rest under
 * their input. Fields this form lacks come back in `stray`.
 */
export function serverErrors(errors: readonly FieldError[], d: RemoteWriteDraft): RemoteWriteErrors & { stray: string[] } {
  const fields: Partial<Record<RemoteWriteField, string>> = {};
  const rows: Record<number, string> = {};
  const stray: string[] = [];
  const join = (a: string | undefined, b: string) => (a ? `${a}; ${b}` : b);
  for (const e of errors) {
    const { text, params } = translate(FIELD_MESSAGES, e.message);
    if (e.field === 'extraLabels' && params.name !== undefined) {
      const row = d.labels.find((r) => r.name.trim() === params.name);
      if (row) {
        rows[row.id] = join(rows[row.id], text);
        continue;
      }
    }
    if ((REMOTE_WRITE_FIELDS as readonly string[]).includes(e.field)) {
      const f = e.field as RemoteWriteField;
      fields[f] = join(fields[f], text);
    } else stray.push(e.field ? `${e.field}: ${text}` : text);
  }
  return { fields, rows, stray };
}

const LAST_ERRORS: Known[] = [
  { pattern: /^Cannot reach the receiver \(connection refused\)$/, key: 'remoteWrite.lastError.refused' },
  { pattern: /^Cannot reach the receiver \(timed out\)$/, key: 'remoteWrite.lastError.timeout' },
  { pattern: /^Cannot reach the receiver \((?<kind>.*)\)$/, key: 'remoteWrite.lastError.unreachable' },
  { pattern: /^The receiver answered HTTP (?<code>\d+) \(retrying\)$/, key: 'remoteWrite.lastError.retrying' },
  { pattern: /^The receiver refused (?<samples>\d+) samples: HTTP (?<code>\d+)$/, key: 'remoteWrite.lastError.rejected' },
  { pattern: /^The remote-write queue cannot be read: (?<detail>.*)$/, key: 'remoteWrite.lastError.queue' },
];

/** RemoteWrite's lastError in the user's language (counts in its digits); an unknown one as the hub said it. */
export function describeLastError(message: string): string {
  for (const { pattern, key } of LAST_ERRORS) {
    const m = pattern.exec(message);
    if (m) {
      const params: Record<string, string> = { ...(m.groups ?? {}) };
      if (params.samples) params.samples = formatNumber(Number(params.samples));
      return t(key, params);
    }
  }
  return message;
}

const DROP_REASONS: Record<string, MessageKey> = {
  bytes: 'remoteWrite.dropped.bytes',
  age: 'remoteWrite.dropped.age',
  backlog: 'remoteWrite.dropped.backlog',
  'queue-unwritable': 'remoteWrite.dropped.queueUnwritable',
};

/** The status block, every value formatted for the current language. */
export interface StatusView {
  enabled: boolean;
  state: string;
  queued: string;
  lag: string;
  sent: string;
  lastSent: string | null;
  rejected: string;
  dropped: string;
  /** Per reason, largest first; empty when nothing was dropped. */
  droppedBy: { reason: string; label: string; samples: string }[];
  lastError: { text: string; when: string | null } | null;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function statusView(s: RemoteWriteStatus, now = Date.now()): StatusView {
  const droppedBy = Object.entries(s.dropped ?? {})
    .filter(([, n]) => num(n) && n > 0)
    .sort(([, a], [, b]) => (b as number) - (a as number))
    .map(([reason, n]) => ({
      reason,
      label: DROP_REASONS[reason] ? t(DROP_REASONS[reason]) : reason,
      samples: formatNumber(n),
    }));
  return {
    enabled: s.enabled,
    state: t(s.enabled ? 'remoteWrite.status.on' : 'remoteWrite.status.off'),
    queued: t('remoteWrite.status.queuedValue', {
      samples: formatNumber(s.queuedSamples),
      snapshots: formatNumber(s.queuedSnapshots),
      bytes: formatBytes(s.queuedBytes),
    }),
    lag: num(s.lagMs) ? formatDuration(s.lagMs / 1000) : t('remoteWrite.status.noLag'),
    sent: formatNumber(s.sentSamples),
    lastSent: num(s.lastSentAt) ? t('remoteWrite.status.lastSent', { when: formatMoment(s.lastSentAt, now) }) : null,
    rejected: formatNumber(s.rejectedSamples),
    dropped: formatNumber(s.droppedSamples),
    droppedBy,
    lastError: s.lastError
      ? { text: describeLastError(s.lastError), when: num(s.lastErrorAt) ? formatMoment(s.lastErrorAt, now) : null }
      : null,
  };
}
