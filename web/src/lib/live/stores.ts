import { derived, get, writable, type Readable, type Writable } from 'svelte/store';
import type { MetricPoint, Server, ServerStatus, Snapshot } from '../api/types';
import type { ServerSummary, SummaryMessage } from './messages';
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

/** How many CPU values a card's sparkline keeps. */
export const TRAIL_POINTS = 60;

/** What an overview card shows, from a summary message or a whole snapshot, whichever is newer. */
export function summaryOf(s: Snapshot, status?: ServerStatus): ServerSummary {
  let diskUsed = 0;
  let diskTotal = 0;
  for (const d of s.disks ?? []) {
    diskUsed += d.used ?? 0;
    diskTotal += d.total ?? 0;
  }
  const out: ServerSummary = {
    serverId: s.serverId,
    ts: s.ts,
    cpu: s.cpu?.usage ?? 0,
    memUsed: s.memory?.used ?? 0,
    memTotal: s.memory?.total ?? 0,
    diskUsed,
    diskTotal,
    netRxBps: s.network?.rxBps ?? 0,
    netTxBps: s.network?.txBps ?? 0,
  };
  if (status) out.status = status;
  return out;
}

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
  private readonly summaries = new Map<string, Writable<ServerSummary | undefined>>();
  private readonly trails = new Map<string, number[]>();
  /** The times of each server's last summaries, for its typical step (a card judges silence by it). */
  private readonly times = new Map<string, { ts: number }[]>();
  private readonly summaryListeners = new Set<(m: SummaryMessage) => void>();

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
    service.on('summary', (m) => {
      for (const v of m.servers) this.summarise(v);
      for (const l of [...this.summaryListeners]) l(m);
    });
  }

  /** An overview card's numbers for a server (summaries, or its snapshots while watched). */
  summaryOf(serverId: string): Readable<ServerSummary | undefined> {
    return this.summaryStore(serverId);
  }

  /** The CPU values of a card's sparkline, oldest first. */
  cpuTrail(serverId: string): readonly number[] {
    return this.trails.get(serverId) ?? [];
  }

  /** The times of a server's last few summaries, oldest first. */
  summaryTimes(serverId: string): readonly { ts: number }[] {
    return this.times.get(serverId) ?? [];
  }

  onSummary(listener: (m: SummaryMessage) => void): () => void {
    this.summaryListeners.add(listener);
    return () => this.summaryListeners.delete(listener);
  }

  /** Whole snapshots of a server while a screen shows it (the overview needs only summaries). */
  watch(serverId: string): () => void {
    return this.service.watch(serverId);
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
      this.summarise(summaryOf(server.latest));
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
    for (const s of this.summaries.values()) s.set(undefined);
    this.statusTs.clear();
    this.recent.clear();
    this.trails.clear();
    this.times.clear();
  }

  private summarise(v: ServerSummary): void {
    const store = this.summaryStore(v.serverId);
    const current = get(store);
    if (current && v.ts < current.ts) return;
    if (!current || v.ts > current.ts) {
      const trail = this.trails.get(v.serverId) ?? [];
      trail.push(v.cpu);
      if (trail.length > TRAIL_POINTS) trail.splice(0, trail.length - TRAIL_POINTS);
      this.trails.set(v.serverId, trail);
      const times = this.times.get(v.serverId) ?? [];
      times.push({ ts: v.ts });
      if (times.length > 9) times.splice(0, times.length - 9);
      this.times.set(v.serverId, times);
    }
    store.set(v);
    // A summary states the status the hub knows; it wins over older statements only.
    if (v.status && v.ts > (this.statusTs.get(v.serverId) ?? 0)) {
      this.statusTs.set(v.serverId, v.ts);
      this.statusStore(v.serverId).set(v.status);
    }
  }

  private summaryStore(serverId: string): Writable<ServerSummary | undefined> {
    let s = this.summaries.get(serverId);
    if (!s) this.summaries.set(serverId, (s = writable(undefined)));
    return s;
  }

  private ingest(s: Snapshot): void {
    // Per-part families only for a server whose charts are open (a point listener): every server's recent window
    // is kept for the overview, and its sparklines need no more than the totals.
    const point = toMetricPoint(s, (this.pointListeners.get(s.serverId)?.size ?? 0) > 0);
    const win = this.window(s.serverId);
    win.add(point);
    win.trim();
    const store = this.latestStore(s.serverId);
    if (win.newest === s.ts) {
      store.set(s);
      this.summarise(summaryOf(s));
    }
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
