/**
 * Remembers which (serverId, ts) pairs were already delivered, so that a replay after a reconnect never
 * appends a point twice, while a late point that fills a hole is still let through.
 */
export class SnapshotDeduper {
  private readonly servers = new Map<string, { newest: number; seen: Set<number>; order: number[] }>();

  constructor(private readonly perServer = 2048) {}

  /** True the first time a pair is offered; false for repeats and for points older than anything remembered. */
  accept(serverId: string, ts: number): boolean {
    let s = this.servers.get(serverId);
    if (!s) {
      s = { newest: -Infinity, seen: new Set(), order: [] };
      this.servers.set(serverId, s);
    }
    if (s.seen.has(ts)) return false;
    if (s.order.length >= this.perServer && ts < s.order[0]) return false;
    s.seen.add(ts);
    // Keep `order` sorted so the oldest remembered ts is evicted first.
    let i = s.order.length;
    while (i > 0 && s.order[i - 1] > ts) i--;
    s.order.splice(i, 0, ts);
    if (s.order.length > this.perServer) s.seen.delete(s.order.shift()!);
    if (ts > s.newest) s.newest = ts;
    return true;
  }

  newest(serverId: string): number | undefined {
    const n = this.servers.get(serverId)?.newest;
    return n === undefined || n === -Infinity ? undefined : n;
  }

  /**
   * The `since` to resume with: the oldest of the servers' newest timestamps, so no server gets a gap,
   * ignoring servers that had already gone quiet (more than staleMs behind the freshest) so that one
   * offline machine does not make the hub replay everything.
   */
  resumeSince(staleMs: number): number | undefined {
    let max = -Infinity;
    for (const s of this.servers.values()) max = Math.max(max, s.newest);
    if (max === -Infinity) return undefined;
    let since = max;
    for (const s of this.servers.values()) {
      if (s.newest >= max - staleMs) since = Math.min(since, s.newest);
    }
    return since;
  }

  clear(): void {
    this.servers.clear();
  }
}
