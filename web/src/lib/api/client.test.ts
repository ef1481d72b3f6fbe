import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { login } from './auth';
import { ApiClient, ApiError } from './client';
import { getMetrics } from './metrics';
import type { LoginResponse } from './types';

interface Call {
  url: string;
  init: RequestInit;
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

function pair(token: string, expiresIn = 900): LoginResponse {
  return {
    accessToken: token,
    refreshToken: `r-${token}`,
    expiresIn,
    user: { id: 'u1', email: 'admin@example.com', name: 'Admin', role: 'admin' },
  };
}

/** A fetch that answers from a routing function and records each call. */
function fakeFetch(route: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    return route(call, calls.length - 1);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

/** The ApiError a call rejected with (fails the test if it resolved). */
async function rejection(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as ApiError,
  );
}

const header = (c: Call, name: string) => (c.init.headers as Record<string, string> | undefined)?.[name];

describe('ApiClient errors', () => {
  it('reads RFC 9457 problem bodies into ApiError with field errors', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        400,
        {
          status: 400,
          title: 'Bad Request',
          detail: 'The request has invalid fields.',
          errors: [
            { field: 'password', message: 'must be at least 8 characters' },
            { field: 'email', message: 'must be a well-formed email address' },
          ],
        },
        'application/problem+json',
      ),
    );
    const api = new ApiClient({ fetch });
    const err = await rejection(api.post('/api/v1/auth/setup', { email: 'x', password: 'short' }, { auth: false }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.title).toBe('Bad Request');
    expect(err.detail).toBe('The request has invalid fields.');
    expect(err.message).toBe('The request has invalid fields.');
    expect(err.fieldError('password')).toBe('must be at least 8 characters');
    expect(err.fieldError('email')).toBe('must be a well-formed email address');
    expect(err.fieldError('name')).toBeUndefined();
  });

  it('falls back to the status line when the body is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' }));
    const err = await rejection(new ApiClient({ fetch }).get('/api/v1/servers'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.title).toBe('Bad Gateway');
    expect(err.fieldErrors).toEqual([]);
  });

  it('reports an unreachable hub as status 0', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const err = await rejection(new ApiClient({ fetch }).get('/api/v1/servers'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.isNetwork).toBe(true);
  });
});

describe('ApiClient session', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs in, then sends the access token as a bearer header and builds queries', async () => {
    const { fetch, calls } = fakeFetch((c) =>
      c.url.endsWith('/auth/login') ? json(200, pair('a1')) : json(200, { serverId: 's1', points: [] }),
    );
    const api = new ApiClient({ fetch });
    const user = await login(api, { email: 'admin@example.com', password: 'secret-pass' });
    expect(user.email).toBe('admin@example.com');
    expect(header(calls[0], 'Authorization')).toBeUndefined();
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ email: 'admin@example.com', password: 'secret-pass' });

    await getMetrics(api, 's 1', { from: 1000, to: 2000.4 });
    expect(calls[1].url).toBe('/api/v1/servers/s%201/metrics?from=1000&to=2000');
    expect(header(calls[1], 'Authorization')).toBe('Bearer a1');
  });

  it('refreshes once on a 401 through the cookie and retries with the new token', async () => {
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url.endsWith('/auth/refresh')) return json(200, pair('a2'));
      return header(c, 'Authorization') === 'Bearer a2' ? json(200, [{ id: 's1' }]) : json(401, { status: 401, title: 'Unauthorized' });
    });
    const api = new ApiClient({ fetch });
    api.startSession(pair('a1'));

    const servers = await api.get<{ id: string }[]>('/api/v1/servers');
    expect(servers).toEqual([{ id: 's1' }]);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/servers', '/api/v1/auth/refresh', '/api/v1/servers']);
    const refresh = calls[1];
    expect(refresh.init.method).toBe('POST');
    expect(refresh.init.body).toBe('{}');
    expect(refresh.init.credentials).toBe('same-origin');
    expect(header(refresh, 'Authorization')).toBeUndefined();
  });

  it('ends the session when the refresh is refused, and does not loop', async () => {
    const { fetch, calls } = fakeFetch(() => json(401, { status: 401, title: 'Unauthorized', detail: 'Token expired' }));
    const api = new ApiClient({ fetch });
    api.startSession(pair('a1'));
    const seen: unknown[] = [];
    api.onSession((u) => seen.push(u));

    const err = await rejection(api.get('/api/v1/servers'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(calls).toHaveLength(2);
    expect(api.authenticated).toBe(false);
    expect(seen).toEqual([null]);
  });

  it('shares one refresh between concurrent 401s (a spent refresh token would revoke the family)', async () => {
    let refreshes = 0;
    const { fetch } = fakeFetch(async (c) => {
      if (c.url.endsWith('/auth/refresh')) {
        refreshes++;
        await Promise.resolve();
        return json(200, pair('a2'));
      }
      return header(c, 'Authorization') === 'Bearer a2' ? json(200, { ok: c.url }) : json(401, {});
    });
    const api = new ApiClient({ fetch });
    api.startSession(pair('a1'));
    const results = await Promise.all([api.get('/api/v1/servers'), api.get('/api/v1/servers/s1'), api.get('/api/v1/auth/me')]);
    expect(results).toHaveLength(3);
    expect(refreshes).toBe(1);
  });

  it('does not refresh for calls made without auth', async () => {
    const { fetch, calls } = fakeFetch(() => json(401, { status: 401, title: 'Unauthorized', detail: 'Bad credentials' }));
    const api = new ApiClient({ fetch });
    const err = await rejection(login(api, { email: 'a@b.c', password: 'wrongpass' }));
    expect(err.detail).toBe('Bad credentials');
    expect(calls).toHaveLength(1);
  });

  it('refreshes about a minute before the access token expires', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, pair('a2', 900)));
    const api = new ApiClient({ fetch });
    api.startSession(pair('a1', 900));

    await vi.advanceTimersByTimeAsync(900_000 - 61_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
    expect(await api.freshToken()).toBe('a2');
  });

  it('hands the socket a token with enough life left, refreshing first when it has not', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, pair('a2')));
    const api = new ApiClient({ fetch });
    expect(await api.freshToken()).toBeNull();
    api.startSession(pair('a1', 120));
    expect(await api.freshToken(60_000)).toBe('a1');
    expect(calls).toHaveLength(0);
    expect(await api.freshToken(200_000)).toBe('a2');
    expect(calls).toHaveLength(1);
  });

  it('restores nothing when there is no refresh cookie', async () => {
    const { fetch } = fakeFetch(() => json(401, { status: 401, title: 'Unauthorized' }));
    const api = new ApiClient({ fetch });
    expect(await api.refresh()).toBe(false);
    expect(api.currentUser).toBeNull();
  });
});
