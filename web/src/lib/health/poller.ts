import { writable, type Readable } from 'svelte/store';
import { ApiError } from '../api/client';

export interface PollState<T> {
  value: T | null;
  /** Epoch ms of the last good answer (0 before the first). */
  at: number;
  /** The last attempt failed (the last good value stays). */
  error: unknown;
  /** The hub refused (403) or has no such endpoint (404): polling stopped until every watcher has left. */
  refused: boolean;
}

export interface PollerOptions {
  /** Whether the page is on screen; hidden pages are not polled. Default: document.visibilityState. */
  visible?: () => boolean;
  /** Subscribe to visibility changes; returns an unsubscribe. Default: document "visibilitychange". */
  onVisibility?: (listener: () => void) => () => void;
}

const docVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
const docOnVisibility = (listener: () => void) => {
  if (typeof document === 'undefined') return () => undefined;
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
};

/**
 * One request stream shared by everyone who watches a resource: it runs at the shortest interval any watcher
 * asked for, only while someone watches and the page is visible, one request at a time. When the last watcher
 * leaves, it stops and forgets the value (the next session may be another user's).
 */
export class Poller<T> {
  private readonly store = writable<PollState<T>>({ value: null, at: 0, error: null, refused: false });
  private readonly watchers = new Map<symbol, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: AbortController | null = null;
  private lastStart = 0;
  private refused = false;
  private stopVisibility: (() => void) | null = null;
  private readonly visible: () => boolean;
  private readonly onVisibility: (listener: () => void) => () => void;

  constructor(
    private readonly load: (signal: AbortSignal) => Promise<T>,
    options: PollerOptions = {},
  ) {
    this.visible = options.visible ?? docVisible;
    this.onVisibility = options.onVisibility ?? docOnVisibility;
  }

  get state(): Readable<PollState<T>> {
    return this.store;
  }

  /** Polls at least every intervalMs until the returned function is called. */
  watch(intervalMs: number): () => void {
    const token = Symbol('watcher');
    const first = this.watchers.size === 0;
    const faster = intervalMs < this.interval();
    this.watchers.set(token, intervalMs);
    if (first) this.stopVisibility = this.onVisibility(() => this.visibilityChanged());
    if (first || faster) this.poll();
    return () => {
      if (!this.watchers.delete(token)) return;
      if (this.watchers.size === 0) this.reset();
      else this.schedule();
    };
  }

  /** Asks now (a retry button, or right after an action that changes the answer). */
  refresh(): void {
    if (this.watchers.size) this.poll();
  }

  private interval(): number {
    let min = Infinity;
    for (const ms of this.watchers.values()) min = Math.min(min, ms);
    return min;
  }

  private visibilityChanged(): void {
    if (!this.watchers.size) return;
    if (!this.visible()) this.clearTimer();
    else if (Date.now() - this.lastStart >= this.interval()) this.poll();
    else this.schedule();
  }

  private poll(): void {
    this.clearTimer();
    if (this.refused || this.inflight || !this.visible()) return;
    const ctrl = new AbortController();
    this.inflight = ctrl;
    this.lastStart = Date.now();
    this.load(ctrl.signal).then(
      (value) => {
        if (ctrl.signal.aborted) return;
        this.store.set({ value, at: Date.now(), error: null, refused: false });
      },
      (error) => {
        if (ctrl.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) this.refused = true;
        this.store.update((s) => ({ ...s, value: this.refused ? null : s.value, error, refused: this.refused }));
      },
    ).finally(() => {
      if (this.inflight !== ctrl) return;
      this.inflight = null;
      this.schedule();
    });
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.watchers.size || this.refused || this.inflight || !this.visible()) return;
    const wait = Math.max(0, this.lastStart + this.interval() - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.poll();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private reset(): void {
    this.clearTimer();
    this.inflight?.abort();
    this.inflight = null;
    this.stopVisibility?.();
    this.stopVisibility = null;
    this.refused = false;
    this.lastStart = 0;
    this.store.set({ value: null, at: 0, error: null, refused: false });
  }
}
