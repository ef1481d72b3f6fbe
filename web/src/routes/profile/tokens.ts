import type { ApiToken, NewApiToken, Server, TokenScope } from '../../lib/api/types';
import type { MessageKey } from '../../lib/i18n';

/** The create form as typed: expiry is a date input's value (YYYY-MM-DD) or empty for never. */
export interface TokenDraft {
  name: string;
  scope: TokenScope;
  /** Empty: every server the owner may see. */
  serverIds: string[];
  expires: string;
}

export const emptyDraft = (): TokenDraft => ({ name: '', scope: 'read', serverIds: [], expires: '' });

/** Field → message key for what the form cannot send; empty when it may be sent. */
export function draftErrors(d: TokenDraft, now: number = Date.now()): Partial<Record<'name' | 'expiresAt', MessageKey>> {
  const errors: Partial<Record<'name' | 'expiresAt', MessageKey>> = {};
  const name = d.name.trim();
  if (!name) errors.name = 'tokens.error.name';
  else if (name.length > 100) errors.name = 'tokens.error.nameLength';
  if (d.expires) {
    const at = expiryOf(d.expires);
    if (at === undefined) errors.expiresAt = 'tokens.error.expires';
    else if (at <= now) errors.expiresAt = 'tokens.error.expiresPast';
  }
  return errors;
}

/** The end of the chosen day, in the browser's time zone, as epoch ms. */
export function expiryOf(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  return Number.isNaN(d.getTime()) || d.getDate() !== Number(m[3]) ? undefined : d.getTime();
}

export function toRequest(d: TokenDraft): NewApiToken {
  const body: NewApiToken = { name: d.name.trim(), scope: d.scope };
  if (d.serverIds.length) body.serverIds = [...d.serverIds];
  const at = d.expires ? expiryOf(d.expires) : undefined;
  if (at !== undefined) body.expiresAt = at;
  return body;
}

export type TokenState = 'active' | 'expired';

export function stateOf(token: ApiToken, now: number = Date.now()): TokenState {
  return token.expiresAt !== undefined && token.expiresAt <= now ? 'expired' : 'active';
}

/** The names of the servers a token is limited to (ids the list no longer has are shown as they are), or null for all. */
export function serverNames(token: ApiToken, servers: Pick<Server, 'id' | 'name'>[]): string[] | null {
  if (!token.serverIds?.length) return null;
  const names = new Map(servers.map((s) => [s.id, s.name]));
  return token.serverIds.map((id) => names.get(id) ?? id);
}

/** Newest first, expired ones last. */
export function sortTokens(tokens: ApiToken[], now: number = Date.now()): ApiToken[] {
  return [...tokens].sort((a, b) => {
    const ea = stateOf(a, now) === 'expired' ? 1 : 0;
    const eb = stateOf(b, now) === 'expired' ? 1 : 0;
    return ea - eb || b.createdAt - a.createdAt;
  });
}

/** Toggles a server in the draft's list. */
export function toggleServer(d: TokenDraft, id: string): TokenDraft {
  const has = d.serverIds.includes(id);
  return { ...d, serverIds: has ? d.serverIds.filter((s) => s !== id) : [...d.serverIds, id] };
}
