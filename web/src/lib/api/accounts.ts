import type { ApiClient } from './client';
import type { AccessLevel, Account, Grant, LoginResponse, MfaChallenge, Profile, Role, User } from './types';

const AUTH = '/api/v1/auth';

/** Either signed in (the session is started) or a second factor is needed. */
export type SignInStep = { done: true; user: User } | { done: false; mfaToken: string };

function isChallenge(r: LoginResponse | MfaChallenge): r is MfaChallenge {
  return (r as MfaChallenge).mfaRequired === true;
}

function step(api: ApiClient, r: LoginResponse | MfaChallenge): SignInStep {
  if (isChallenge(r)) return { done: false, mfaToken: r.mfaToken };
  api.startSession(r);
  return { done: true, user: r.user };
}

export async function signIn(api: ApiClient, body: { email: string; password: string }): Promise<SignInStep> {
  return step(api, await api.request<LoginResponse | MfaChallenge>('POST', `${AUTH}/login`, { body, auth: false }));
}

export async function signInSecondFactor(api: ApiClient, mfaToken: string, code: string): Promise<User> {
  const r = await api.request<LoginResponse>('POST', `${AUTH}/login/totp`, { body: { mfaToken, code }, auth: false });
  api.startSession(r);
  return r.user;
}

/** Trades the single-use code a social sign-in redirected with for FLick's own tokens. */
export async function exchangeSignInCode(api: ApiClient, code: string): Promise<SignInStep> {
  return step(api, await api.request<LoginResponse | MfaChallenge>('POST', `${AUTH}/exchange`, { body: { code }, auth: false }));
}

/** Sets a password with an invite or reset code, then signs in. */
export async function setPasswordWithCode(api: ApiClient, code: string, newPassword: string): Promise<User> {
  const r = await api.request<LoginResponse>('POST', `${AUTH}/password/set`, { body: { code, newPassword }, auth: false });
  api.startSession(r);
  return r.user;
}

export function getProfile(api: ApiClient): Promise<Profile> {
  return api.get<Profile>(`${AUTH}/me`);
}

export function updateProfile(api: ApiClient, body: { name?: string; locale?: string }): Promise<Profile> {
  return api.request<Profile>('PATCH', `${AUTH}/me`, { body });
}

/** Changes one's password: every other session ends, this one continues with the new tokens. */
export async function changePassword(api: ApiClient, currentPassword: string, newPassword: string): Promise<void> {
  api.startSession(await api.post<LoginResponse>(`${AUTH}/password`, { currentPassword, newPassword }));
}

export async function signOutEverywhere(api: ApiClient): Promise<void> {
  try {
    await api.post<void>(`${AUTH}/logout-all`);
  } finally {
    api.endSession();
  }
}

/**
 * Starts linking a provider to the signed-in account. The ticket goes in a form POST (never in a URL), and the
 * browser leaves for the provider.
 */
export async function linkProvider(api: ApiClient, provider: string): Promise<void> {
  const { url, ticket } = await api.post<{ url: string; ticket: string }>(`${AUTH}/identities`, { provider });
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = url;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'link';
  input.value = ticket;
  form.append(input);
  document.body.append(form);
  form.submit();
}

export function unlinkIdentity(api: ApiClient, id: string): Promise<void> {
  return api.request<void>('DELETE', `${AUTH}/identities/${encodeURIComponent(id)}`);
}

export function startTwoFactor(api: ApiClient): Promise<{ secret: string; otpauthUri: string }> {
  return api.post(`${AUTH}/totp/setup`);
}

export async function confirmTwoFactor(api: ApiClient, code: string): Promise<string[]> {
  return (await api.post<{ recoveryCodes: string[] }>(`${AUTH}/totp/confirm`, { code })).recoveryCodes;
}

export function disableTwoFactor(api: ApiClient, code: string): Promise<void> {
  return api.post(`${AUTH}/totp/disable`, { code });
}

export async function newRecoveryCodes(api: ApiClient, code: string): Promise<string[]> {
  return (await api.post<{ recoveryCodes: string[] }>(`${AUTH}/totp/recovery-codes`, { code })).recoveryCodes;
}

const USERS = '/api/v1/users';

export function listUsers(api: ApiClient): Promise<Account[]> {
  return api.get<Account[]>(USERS);
}

export function createUser(
  api: ApiClient,
  body: { email: string; name?: string; role: Role; password?: string },
): Promise<{ user: Account; inviteCode?: string; inviteExpiresAt?: number }> {
  return api.post(USERS, body);
}

export function changeUser(api: ApiClient, id: string, body: { role?: Role; disabled?: boolean; name?: string }): Promise<Account> {
  return api.request<Account>('PATCH', `${USERS}/${encodeURIComponent(id)}`, { body });
}

export function deleteUser(api: ApiClient, id: string): Promise<void> {
  return api.request<void>('DELETE', `${USERS}/${encodeURIComponent(id)}`);
}

export function resetPassword(api: ApiClient, id: string): Promise<{ resetCode?: string; resetExpiresAt?: number }> {
  return api.post(`${USERS}/${encodeURIComponent(id)}/reset-password`);
}

export function lookupUser(api: ApiClient, email: string): Promise<{ id: string; email: string; name: string | null }> {
  return api.get(`${USERS}/lookup`, { email });
}

export function getAccess(api: ApiClient, serverId: string): Promise<Grant[]> {
  return api.get<Grant[]>(`/api/v1/servers/${encodeURIComponent(serverId)}/access`);
}

export function putAccess(api: ApiClient, serverId: string, grants: { userId: string; level: AccessLevel }[]): Promise<Grant[]> {
  return api.request<Grant[]>('PUT', `/api/v1/servers/${encodeURIComponent(serverId)}/access`, { body: grants });
}
