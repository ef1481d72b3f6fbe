import type { FieldError, LoginResponse, Problem, User } from './types';

/** An error answer from the hub, read from its RFC 9457 problem body; status 0 means the hub was not reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly code: string | undefined;
  readonly params: Record<string, unknown>;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? '';
    this.detail = problem.detail;
    this.code = typeof problem.code === 'string' ? problem.code : undefined;
    this.params = problem.params && typeof problem.params === 'object' ? problem.params : {};
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** The messages the hub gave for one input field, joined. */
  fieldError(field: string): string | undefined {
    const messages = this.fieldErrors.filter((e) => e.field === field).map((e) => e.message);
    return messages.length ? messages.join('; ') : undefined;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send the bearer token and refresh once on a 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Serialises refreshes across tabs that share the refresh cookie (Web Locks where present). */
  lock?: <T>(run: () => Promise<T>) => Promise<T>;
}

type SessionListener = (user: User | null) => void;

/** Refresh this long before the access token expires. */
export const REFRESH_AHEAD_MS = 60_000;
const RETRY_REFRESH_MS = 15_000;

function defaultLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('flick-auth-refresh', run) as Promise<T>) : run();
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await res.json();
      if (body && typeof body === 'object') return body as Problem;
    } catch {
      // fall through to the status line
    }
  }
  return { status: res.status, title: res.statusText || `HTTP ${res.status}` };
}

/**
 * The one HTTP client: keeps the access token in memory only (the refresh token lives in the hub's
 * HttpOnly cookie), refreshes it shortly before it expires and once on a 401, and turns problem bodies
 * into ApiError.
 */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly lock: <T>(run: () => Promise<T>) => Promise<T>;

  private accessToken: string | null = null;
  private expiresAt = 0;
  private user: User | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<SessionListener>();

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.lock = options.lock ?? defaultLock;
  }

  get currentUser(): User | null {
    return this.user;
  }

  get authenticated(): boolean {
    return this.accessToken !== null;
  }

  /** Epoch ms at which the current access token expires (0 without a session). */
  get tokenExpiresAt(): number {
    return this.expiresAt;
  }

  onSession(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  startSession(body: LoginResponse): void {
    const hadUser = this.user?.id;
    this.accessToken = body.accessToken;
    this.expiresAt = this.now() + Math.max(1, body.expiresIn) * 1000;
    this.user = body.user;
    this.scheduleRefresh(this.expiresAt - REFRESH_AHEAD_MS - this.now());
    if (hadUser !== body.user?.id) this.emit();
  }

  endSession(): void {
    const had = this.accessToken !== null || this.user !== null;
    this.accessToken = null;
    this.expiresAt = 0;
    this.user = null;
    this.cancelTimer();
    if (had) this.emit();
  }

  /**
   * Trades the refresh cookie for a new token pair. Resolves true with a new session, false when the hub
   * refused (the session is over); rejects when the hub could not be reached. Concurrent callers share one
   * request, because presenting a spent refresh token revokes the whole family.
   */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.lock(() => this.doRefresh()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url('/api/v1/auth/refresh'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: (e as Error)?.message });
    }
    if (res.ok) {
      this.startSession((await res.json()) as LoginResponse);
      return true;
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      this.endSession();
      return false;
    }
    throw new ApiError(res.status, await readProblem(res));
  }

  /** A token valid for at least minValidityMs more, refreshing first if needed; null without a session. */
  async freshToken(minValidityMs = 30_000): Promise<string | null> {
    if (this.accessToken && this.expiresAt - this.now() > minValidityMs) return this.accessToken;
    if (!this.accessToken && !this.user) {
      // No session to extend.
      return null;
    }
    const ok = await this.refresh();
    return ok ? this.accessToken : null;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    if (auth && this.accessToken && this.expiresAt - this.now() < 5_000) {
      await this.refresh().catch(() => undefined);
    }
    let res = await this.send(method, path, options, auth);
    if (res.status === 401 && auth && this.user) {
      let refreshed = false;
      try {
        refreshed = await this.refresh();
      } catch {
        refreshed = false;
      }
      if (refreshed) res = await this.send(method, path, options, auth);
    }
    if (!res.ok) throw new ApiError(res.status, await readProblem(res));
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body: body ?? {} });
  }

  private async send(method: string, path: string, options: RequestOptions, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    try {
      return await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, { title: 'Network error', detail: (e as Error)?.message });
    }
  }

  private url(path: string, query?: Query): string {
    let url = this.baseUrl + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null) params.set(k, String(v));
      }
      const qs = params.toString();
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    return url;
  }

  private scheduleRefresh(delayMs: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch(() => {
        // Hub unreachable: try again while the token may still be valid; a 401 later refreshes too.
        if (this.accessToken) this.scheduleRefresh(RETRY_REFRESH_MS);
      });
    }, Math.max(1_000, delayMs));
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    for (const l of [...this.listeners]) l(this.user);
  }
}
