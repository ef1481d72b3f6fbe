import type { Snapshot } from '../api/types';
import { backoffDelay } from './backoff';
import { SnapshotDeduper } from './dedupe';
import {
  parseMessage,
  type AlertMessage,
  type CoalescedMessage,
  type ErrorMessage,
  type LogMessage,
  type NotificationMessage,
  type StatusMessage,
  type SummaryMessage,
} from './messages';

export type { ErrorMessage, StatusMessage } from './messages';

/** The parts of the browser WebSocket the service uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string) => SocketLike;

export type LiveState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped';

interface Events {
  snapshot: Snapshot;
  status: StatusMessage;
  error: ErrorMessage;
  state: LiveState;
  /** A few numbers per changed server, at most once a second (with `summary: true`). */
  summary: SummaryMessage;
  /** The hub left out older snapshots because this client fell behind; what follows is live again. */
  coalesced: CoalescedMessage;
  /** Alert transitions, in-app notifications and tailed log lines. */
  message: AlertMessage | NotificationMessage | LogMessage;
}

export interface LiveOptions {
  url: string;
  /** An access token valid for at least minValidityMs, refreshed if needed; null when signed out. */
  getToken: (minValidityMs: number) => Promise<string | null>;
  /** Called after the hub closed with 4401; resolves false when the session is over. */
  refreshToken: () => Promise<boolean>;
  socket?: SocketFactory;
  random?: () => number;
  serverIds?: string[] | '*';
  /**
   * Overview mode: a summary of every server (subscribe-summary "*"), whole snapshots only for the servers someone
   * `watch`es (a server page, the processes screen). serverIds is then ignored.
   */
  summary?: boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No message for this long means the link is dead. */
  heartbeatTimeoutMs?: number;
  /** How long to wait for "ready" after sending auth. */
  readyTimeoutMs?: number;
  /** Servers this far behind the freshest are left out of the resume point. */
  staleMs?: number;
}

export const AUTH_CLOSE_CODE = 4401;
const OPEN = 1;

/**
 * One WebSocket to the hub per app: authenticates first, subscribes, answers pings, notices a silent link,
 * reconnects with jittered backoff and resumes from the newest snapshot it has so the hub replays the gap.
 * Framework-agnostic; Svelte stores sit on top (stores.ts).
 */
export class LiveService {
  private readonly opts: Required<Omit<LiveOptions, 'socket' | 'random'>> & {
    socket: SocketFactory;
    random: () => number;
  };
  private readonly listeners: { [K in keyof Events]: Set<(v: Events[K]) => void> } = {
    snapshot: new Set(),
    status: new Set(),
    error: new Set(),
    state: new Set(),
    summary: new Set(),
    coalesced: new Set(),
    message: new Set(),
  };
  /** Servers whose whole snapshots are wanted in summary mode, with how many watchers each. */
  private readonly watched = new Map<string, number>();
  private readonly dedupe = new SnapshotDeduper();

  private ws: SocketLike | null = null;
  /** Bumped on every new socket so late events from an old one are ignored. */
  private generation = 0;
  private attempt = 0;
  private running = false;
  private _state: LiveState = 'idle';
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastAuthClose = 0;
  /** A replay asked for while not live, sent with the next subscribe. */
  private pendingSince: number | undefined;
  /** The servers whose logs are tailed (null: none), subscribed again on every new socket. */
  private logTail: string[] | '*' | null = null;

  constructor(options: LiveOptions) {
    this.opts = {
      serverIds: '*',
      summary: false,
      baseDelayMs: 500,
      maxDelayMs: 15_000,
      heartbeatTimeoutMs: 45_000,
      readyTimeoutMs: 15_000,
      staleMs: 120_000,
      socket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      ...options,
    } as LiveService['opts'];
  }

  get state(): LiveState {
    return this._state;
  }

  on<K extends keyof Events>(event: K, listener: (v: Events[K]) => void): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect('connecting');
  }

  /** Closes the socket and forgets what was received (used on sign-out). */
  stop(): void {
    this.running = false;
    this.clearTimers();
    this.dropSocket(1000, 'client stopped');
    this.dedupe.clear();
    this.pendingSince = undefined;
    this.logTail = null;
    this.setState('stopped');
  }

  /** Skips the backoff wait (e.g. the browser came back online). */
  reconnectNow(): void {
    if (!this.running || this._state !== 'reconnecting' || !this.reconnectTimer) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.connect('reconnecting');
  }

  /** Asks the hub to replay everything newer than `since` (deduplicated here), e.g. to close the gap after a history load. */
  replaySince(since: number): void {
    if (this._state === 'live') this.subscribe(since);
    else this.pendingSince = Math.min(since, this.pendingSince ?? since);
  }

  /**
   * Tails logs as `log` messages (delivered to 'message' listeners): of some servers, of all and the hub's own
   * events ("*"), or none (null). Kept across reconnects.
   */
  tailLogs(target: string[] | '*' | null): void {
    if (this._state === 'live' && this.logTail !== null) this.send({ type: 'unsubscribe-logs' });
    this.logTail = target;
    if (this._state === 'live' && target !== null) this.send({ type: 'subscribe-logs', serverIds: target });
  }

  /**
   * In summary mode, asks for a server's whole snapshots until the returned function is called (counted, so two
   * screens may watch the same server). Replays what the hub buffered since the newest one this client has.
   */
  watch(serverId: string): () => void {
    const n = this.watched.get(serverId) ?? 0;
    this.watched.set(serverId, n + 1);
    if (n === 0 && this.opts.summary && this._state === 'live') {
      const msg: Record<string, unknown> = { type: 'subscribe', serverIds: [serverId] };
      const since = this.dedupe.newest(serverId);
      if (since !== undefined) msg.since = since;
      this.send(msg);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.watched.get(serverId) ?? 1) - 1;
      if (left > 0) {
        this.watched.set(serverId, left);
        return;
      }
      this.watched.delete(serverId);
      if (this.opts.summary && this._state === 'live') this.send({ type: 'unsubscribe', serverIds: [serverId] });
    };
  }

  /** Newest ts received for a server. */
  newest(serverId: string): number | undefined {
    return this.dedupe.newest(serverId);
  }

  private async connect(state: LiveState): Promise<void> {
    this.setState(state);
    const gen = ++this.generation;
    let token: string | null;
    try {
      token = await this.opts.getToken(60_000);
    } catch {
      if (gen === this.generation && this.running) this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation || !this.running) return;
    if (!token) {
      this.stop();
      return;
    }
    let ws: SocketLike;
    try {
      ws = this.opts.socket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    // Opening and authenticating must finish in time too: a black-holed connect never fires close.
    this.readyTimer = setTimeout(() => this.linkLost(gen, 4000, 'no ready'), this.opts.readyTimeoutMs);
    this.armHeartbeat();
    ws.onopen = () => {
      if (gen !== this.generation) return;
      ws.send(JSON.stringify({ type: 'auth', token }));
      this.armHeartbeat();
    };
    ws.onmessage = (ev) => {
      if (gen !== this.generation) return;
      this.armHeartbeat();
      this.handle(ev.data);
    };
    ws.onclose = (ev) => {
      if (gen !== this.generation) return;
      this.ws = null;
      void this.closed(ev.code);
    };
    ws.onerror = () => {
      // A close event follows; nothing to do here.
    };
  }

  private handle(data: unknown): void {
    const msg = parseMessage(data);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        if (this.readyTimer) clearTimeout(this.readyTimer);
        this.readyTimer = null;
        this.attempt = 0;
        this.setState('live');
        if (this.opts.summary) this.send({ type: 'subscribe-summary', serverIds: '*' });
        this.subscribe(this.resumePoint());
        if (this.logTail !== null) this.send({ type: 'subscribe-logs', serverIds: this.logTail });
        break;
      case 'ping':
        this.send({ type: 'pong', ts: msg.ts });
        break;
      case 'snapshot': {
        const { type: _type, ...snapshot } = msg;
        if (!this.dedupe.accept(snapshot.serverId, snapshot.ts)) return;
        this.emit('snapshot', snapshot);
        break;
      }
      case 'status':
        this.emit('status', msg);
        break;
      case 'error':
        this.emit('error', msg);
        break;
      case 'summary':
        this.emit('summary', msg);
        break;
      case 'coalesced':
        this.emit('coalesced', msg);
        break;
      case 'alert':
      case 'notification':
      case 'log':
        this.emit('message', msg);
        break;
      default: {
        const unhandled: never = msg;
        return unhandled;
      }
    }
  }

  private resumePoint(): number | undefined {
    const resume = this.dedupe.resumeSince(this.opts.staleMs);
    const pending = this.pendingSince;
    this.pendingSince = undefined;
    if (pending === undefined) return resume;
    return resume === undefined ? pending : Math.min(resume, pending);
  }

  private subscribe(since: number | undefined): void {
    const serverIds = this.opts.summary ? [...this.watched.keys()] : this.opts.serverIds;
    if (this.opts.summary && serverIds.length === 0) return;
    const msg: Record<string, unknown> = { type: 'subscribe', serverIds };
    if (since !== undefined) msg.since = since;
    this.send(msg);
  }

  private send(msg: unknown): void {
    if (this.ws && this.ws.readyState === OPEN) this.ws.send(JSON.stringify(msg));
  }

  private async closed(code: number): Promise<void> {
    this.clearTimers();
    if (!this.running) return;
    if (code === AUTH_CLOSE_CODE) {
      this.setState('reconnecting');
      const gen = this.generation;
      let ok: boolean;
      try {
        ok = await this.opts.refreshToken();
      } catch {
        if (gen === this.generation && this.running) this.scheduleReconnect();
        return;
      }
      if (gen !== this.generation || !this.running) return;
      if (!ok) {
        this.stop();
        return;
      }
      // Reconnect at once with the new token, unless the hub keeps refusing: then back off.
      const now = Date.now();
      const repeated = now - this.lastAuthClose < 10_000;
      this.lastAuthClose = now;
      if (!repeated) {
        void this.connect('reconnecting');
        return;
      }
    }
    this.scheduleReconnect();
  }

  /** The link is dead without a close event (heartbeat or ready timeout): drop it and reconnect. */
  private linkLost(gen: number, code: number, reason: string): void {
    if (gen !== this.generation || !this.running) return;
    this.dropSocket(code, reason);
    this.clearTimers();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    this.generation++;
    const delay = backoffDelay(this.attempt, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random);
    this.attempt++;
    this.setState('reconnecting');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect('reconnecting');
    }, delay);
  }

  private armHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    const gen = this.generation;
    this.heartbeatTimer = setTimeout(() => this.linkLost(gen, 4000, 'heartbeat timeout'), this.opts.heartbeatTimeoutMs);
  }

  private dropSocket(code: number, reason: string): void {
    const ws = this.ws;
    this.ws = null;
    this.generation++;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  private clearTimers(): void {
    for (const t of [this.heartbeatTimer, this.readyTimer, this.reconnectTimer]) if (t) clearTimeout(t);
    this.heartbeatTimer = this.readyTimer = this.reconnectTimer = null;
  }

  private setState(state: LiveState): void {
    if (this._state === state) return;
    this._state = state;
    this.emit('state', state);
  }

  private emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const l of [...this.listeners[event]]) {
      try {
        (l as (v: Events[K]) => void)(value);
      } catch (e) {
        console.error(e);
      }
    }
  }
}
