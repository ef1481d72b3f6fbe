import { writable, type Readable } from 'svelte/store';

/** The part of an alert event (API.md, "Alerts") the overview badge needs. */
export interface AlertTransition {
  id: string | number;
  serverId: string;
  state: 'firing' | 'resolved' | string;
}

/**
 * Firing alerts per server, for the badge on each overview card: fed by the hub's live `{"type":"alert"}` messages
 * (every transition) and by `seed` with the events list when a screen loads it.
 */
export class AlertCounts {
  private readonly firing = new Map<string, Set<string>>();
  private readonly store = writable<Readonly<Record<string, number>>>({});
  readonly counts: Readable<Readonly<Record<string, number>>> = { subscribe: this.store.subscribe };

  apply(event: AlertTransition): void {
    if (!event || typeof event.serverId !== 'string' || event.id === undefined) return;
    const key = String(event.id);
    let ids = this.firing.get(event.serverId);
    if (event.state === 'firing') {
      if (!ids) this.firing.set(event.serverId, (ids = new Set()));
      if (ids.has(key)) return;
      ids.add(key);
    } else {
      if (!ids?.delete(key)) return;
    }
    this.publish();
  }

  /** Replaces everything with the currently firing events. */
  seed(events: readonly AlertTransition[]): void {
    this.firing.clear();
    for (const e of events) if (e.state === 'firing') this.apply(e);
    this.publish();
  }

  reset(): void {
    this.firing.clear();
    this.publish();
  }

  private publish(): void {
    const out: Record<string, number> = {};
    for (const [id, set] of this.firing) if (set.size) out[id] = set.size;
    this.store.set(out);
  }
}
