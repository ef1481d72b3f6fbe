import type { ApiClient } from './client';
import type { ApiToken, CreatedApiToken, NewApiToken } from './types';

const TOKENS = '/api/v1/tokens';

export function listTokens(api: ApiClient): Promise<ApiToken[]> {
  return api.request<ApiToken[]>('GET', TOKENS);
}

/** The answer is the only time the token is shown. */
export function createToken(api: ApiClient, body: NewApiToken): Promise<CreatedApiToken> {
  return api.request<CreatedApiToken>('POST', TOKENS, { body });
}

export function revokeToken(api: ApiClient, id: string): Promise<void> {
  return api.request<void>('DELETE', `${TOKENS}/${encodeURIComponent(id)}`);
}
