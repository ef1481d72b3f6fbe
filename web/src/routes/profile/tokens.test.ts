import { describe, expect, it } from 'vitest';
import type { ApiToken } from '../../lib/api/types';
import { en } from '../../lib/i18n/en';
import { ko } from '../../lib/i18n/ko';
import { draftErrors, emptyDraft, expiryOf, serverNames, sortTokens, stateOf, toggleServer, toRequest } from './tokens';

const now = new Date(2026, 11, 1, 12, 0, 0).getTime();
const token = (over: Partial<ApiToken>): ApiToken => ({ id: 't', name: 'n', scope: 'read', createdAt: 1, ...over });

describe('API token form', () => {
  it('needs a name and a future expiry day', () => {
    expect(draftErrors(emptyDraft(), now)).toEqual({ name: 'tokens.error.name' });
    expect(draftErrors({ ...emptyDraft(), name: '  ' }, now).name).toBe('tokens.error.name');
    expect(draftErrors({ ...emptyDraft(), name: 'x'.repeat(101) }, now).name).toBe('tokens.error.nameLength');
    expect(draftErrors({ ...emptyDraft(), name: 'grafana', expires: '2026-11-30' }, now)).toEqual({ expiresAt: 'tokens.error.expiresPast' });
    expect(draftErrors({ ...emptyDraft(), name: 'grafana', expires: '2026-02-30' }, now)).toEqual({ expiresAt: 'tokens.error.expires' });
    expect(draftErrors({ ...emptyDraft(), name: 'grafana', expires: '2026-12-01' }, now)).toEqual({});
  });

  it('expires at the end of the chosen local day', () => {
    expect(expiryOf('2026-12-31')).toBe(new Date(2026, 11, 31, 23, 59, 59, 999).getTime());
    expect(expiryOf('31.12.2026')).toBeUndefined();
  });

  it('sends servers and expiry only when chosen', () => {
    expect(toRequest({ name: ' grafana ', scope: 'read', serverIds: [], expires: '' })).toEqual({ name: 'grafana', scope: 'read' });
    expect(toRequest({ name: 'ci', scope: 'manage', serverIds: ['a', 'b'], expires: '2027-01-02' })).toEqual({
      name: 'ci',
      scope: 'manage',
      serverIds: ['a', 'b'],
      expiresAt: new Date(2027, 0, 2, 23, 59, 59, 999).getTime(),
    });
  });

  it('toggles servers in and out of the list', () => {
    const one = toggleServer(emptyDraft(), 'a');
    expect(one.serverIds).toEqual(['a']);
    expect(toggleServer(toggleServer(one, 'b'), 'a').serverIds).toEqual(['b']);
  });
});

describe('API token list', () => {
  it('tells expired tokens apart', () => {
    expect(stateOf(token({}), now)).toBe('active');
    expect(stateOf(token({ expiresAt: now + 1 }), now)).toBe('active');
    expect(stateOf(token({ expiresAt: now }), now)).toBe('expired');
  });

  it('names the servers a token is limited to, or none for all', () => {
    const servers = [{ id: 'a', name: 'web-1' }, { id: 'b', name: 'db' }];
    expect(serverNames(token({}), servers)).toBeNull();
    expect(serverNames(token({ serverIds: ['b', 'gone'] }), servers)).toEqual(['db', 'gone']);
  });

  it('lists the newest first and expired ones last', () => {
    const list = sortTokens([token({ id: 'old', createdAt: 1 }), token({ id: 'x', createdAt: 9, expiresAt: now - 1 }), token({ id: 'new', createdAt: 5 })], now);
    expect(list.map((t) => t.id)).toEqual(['new', 'old', 'x']);
  });

  it('has every token message in English and Korean', () => {
    const keys = Object.keys(en).filter((k) => k.startsWith('tokens.'));
    expect(keys.length).toBeGreaterThan(10);
    for (const k of keys) expect((ko as Record<string, string>)[k], k).toMatch(/[가-힣]/);
  });
});
