import { derived, get, writable, type Readable, type Writable } from 'svelte/store';
import type { MetricPoint, Server, ServerStatus, Snapshot } from '../api/types';
import { toMetricPoint } from './points';
import type { LiveService, LiveState, StatusMessage } from './service';
import { PointWindow } from './window';

/** What the top bar shows. */
export type ConnectionView = 'live' | 'connecting' | 'reconnecting' | 'offline';

export function connectionView(state: LiveState, online: boolean): ConnectionView {
  if (state === 'idle' || state === 'stopped') return 'offline';
  if (!online) return 'offline';
  return state;
}

/** Recent points kept per server for sparklines and to seed a server page without a gap. */
export const RECENT_SPAN_MS = 6 * 60_000;

/**
 * Svelte stores over one LiveService: the connection state, and per server the latest snapshot, its
 * status, and a short window of recent points. Charts listen with onPoint instead of a store so that a
 * point a second does not re-render anything.
 */
export class LiveStore {
  readonly state: Writable<LiveState>;
  readonly online = writable(true);
  readonly connection: Readable<ConnectionView>;

  private readonly latest = new Map<string, Writable<Snapshot | undefined>>();
  private readonly statuses = new Map<string, Writable<ServerStatus | undefined>>();
  /** When each server's status was last stated, so an older replayed snapshot cannot contradict it. */
  private readonly statusTs = new Map<string, number>();
  private readonly recent = new Map<string, PointWindow>();
  private readonly pointListeners = new Map<string, Set<(p: MetricPoint) => void>>();
  private readonly snapshotListeners = new Set<(s: Snapshot) => void>();

  constructor(readonly service: LiveService) {
    this.state = writable(service.state);
    this.connection = derived([this.state, this.online], ([s, o]) => connectionView(s, o));
    service.on('state', (s) => this.state.set(s));
    service.on('snapshot', (s) => this.ingest(s));
    service.on('status', (m: StatusMessage) => {
      this.statusTs.set(m.serverId, m.ts ?? Date.now());
      this.statusStore(m.serverId).set(m.status);
    });
    service.on('error', (m) => console.warn(`hub: ${m.code}: ${m.message}`));
  }

  latestOf(serverId: string): Readable<Snapshot | undefined> {
    return this.latestStore(serverId);
  }

  statusOf(serverId: string): Readable<ServerStatus | undefined> {
    return this.statusStore(serverId);
  }

  recentOf(serverId: string): readonly MetricPoint[] {
    return this.recent.get(serverId)?.points ?? [];
  }

  onPoint(serverId: string, listener: (p: MetricPoint) => void): () => void {
    let set = this.pointListeners.get(serverId);
    if (!set) this.pointListeners.set(serverId, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  onSnapshot(listener: (s: Snapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  /** Takes what the REST list knew (latest, status) where the socket has told nothing newer. */
  seed(server: Server): void {
    const store = this.latestStore(server.id);
    const current = get(store);
    if (server.latest && (!current || server.latest.ts > current.ts)) {
      store.set(server.latest);
      this.window(server.id).add(toMetricPoint(server.latest));
    }
    const status = this.statusStore(server.id);
    if (!get(status)) {
      status.set(server.status);
      this.statusTs.set(server.id, server.lastSeen ?? 0);
    }
  }

  /** Forgets everything (sign-out). */
  reset(): void {
    for (const s of this.latest.values()) s.set(undefined);
    for (const s of this.statuses.values()) s.set(undefined);
    this.statusTs.clear();
    this.recent.clear();
  }

  private ingest(s: Snapshot): void {
    // Per-part families only for a server whose charts are open (a point listener): every server's recent window
    // is kept for the overview, and its sparklines need no more than the totals.
    const point = toMetricPoint(s, (this.pointListeners.get(s.serverId)?.size ?? 0) > 0);
    const win = this.window(s.serverId);
    win.add(point);
    win.trim();
    const store = this.latestStore(s.serverId);
    if (win.newest === s.ts) store.set(s);
    // A snapshot newer than the last status statement means the server is reporting again.
    const status = this.statusStore(s.serverId);
    if (get(status) !== 'online' && win.newest === s.ts && s.ts > (this.statusTs.get(s.serverId) ?? 0)) {
      status.set('online');
      this.statusTs.set(s.serverId, s.ts);
    }
    for (const l of [...(this.pointListeners.get(s.serverId) ?? [])]) l(point);
    for (const l of [...this.snapshotListeners]) l(s);
  }

  private window(serverId: string): PointWindow {
    let w = this.recent.get(serverId);
    if (!w) this.recent.set(serverId, (w = new PointWindow(RECENT_SPAN_MS)));
    return w;
  }

  private latestStore(serverId: string): Writable<Snapshot | undefined> {
    let s = this.latest.get(serverId);
    if (!s) this.latest.set(serverId, (s = writable(undefined)));
    return s;
  }

  private statusStore(serverId: string): Writable<ServerStatus | undefined> {
    let s = this.statuses.get(serverId);
    if (!s) this.statuses.set(serverId, (s = writable(undefined)));
    return s;
  }
}
