import type { ApiClient } from './client';
import type { AuthStatus, LoginResponse, User } from './types';

const BASE = '/api/v1/auth';

export function getAuthStatus(api: ApiClient): Promise<AuthStatus> {
  return api.request<AuthStatus>('GET', `${BASE}/status`, { auth: false });
}

/** Creates the first admin (only while no user exists) and signs in as them. */
export async function setupAdmin(
  api: ApiClient,
  body: { email: string; password: string; name?: string },
): Promise<User> {
  const res = await api.request<LoginResponse>('POST', `${BASE}/setup`, { body, auth: false });
  api.startSession(res);
  return res.user;
}

export async function login(api: ApiClient, body: { email: string; password: string }): Promise<User> {
  const res = await api.request<LoginResponse>('POST', `${BASE}/login`, { body, auth: false });
  api.startSession(res);
  return res.user;
}

/** Restores a session from the refresh cookie; false when there is none. */
export function restoreSession(api: ApiClient): Promise<boolean> {
  return api.refresh();
}

export async function logout(api: ApiClient): Promise<void> {
  try {
    await api.request<void>('POST', `${BASE}/logout`, { body: {} });
  } finally {
    api.endSession();
  }
}

export function getMe(api: ApiClient): Promise<User> {
  return api.get<User>(`${BASE}/me`);
}
