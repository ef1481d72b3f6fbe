import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { MetricPoint, Snapshot } from '../api/types';
import { LiveService } from './service';
import { connectionView, LiveStore } from './stores';

function snap(serverId: string, ts: number, cpu: number): Snapshot {
  return {
    serverId,
    ts,
    cpu: { usage: cpu, cores: [cpu], load1: 0, load5: 0, load15: 0 },
    memory: { total: 100, used: 40, swapTotal: 0, swapUsed: 0 },
    disks: [
      { mount: '/', total: 1000, used: 250 },
      { mount: '/data', total: 3000, used: 750 },
    ],
    diskIo: { readBps: 1, writeBps: 2 },
    network: { rxBps: 3, txBps: 4 },
  };
}

describe('LiveStore', () => {
  it('maps service states onto what the top bar says', () => {
    expect(connectionView('live', true)).toBe('live');
    expect(connectionView('live', false)).toBe('offline');
    expect(connectionView('reconnecting', true)).toBe('reconnecting');
    expect(connectionView('stopped', true)).toBe('offline');
    expect(connectionView('idle', true)).toBe('offline');
  });

  it('keeps the latest snapshot, marks the server online and feeds point listeners', () => {
    // Never started: the test feeds messages the way the socket would.
    const service = new LiveService({ url: 'ws://x', getToken: async () => 't', refreshToken: async () => true });
    const store = new LiveStore(service);
    const hub = (msg: object) => (service as unknown as { handle(data: string): void }).handle(JSON.stringify(msg));
    store.seed({ id: 's1', name: 'one', mode: 'local', status: 'offline', lastSeen: null, latest: snap('s1', 500, 1) });
    expect(get(store.latestOf('s1'))?.ts).toBe(500);
    expect(get(store.statusOf('s1'))).toBe('offline');

    const points: number[] = [];
    store.onPoint('s1', (p) => points.push(p.ts));
    hub({ type: 'snapshot', ...snap('s1', 1000, 42) });
    hub({ type: 'snapshot', ...snap('s1', 1000, 42) });
    expect(points).toEqual([1000]);
    expect(get(store.latestOf('s1'))?.cpu.usage).toBe(42);
    expect(get(store.statusOf('s1'))).toBe('online');
    // A replayed snapshot older than an offline statement does not bring the server back.
    hub({ type: 'status', serverId: 's1', status: 'offline', ts: 5000 });
    hub({ type: 'snapshot', ...snap('s1', 4000, 1) });
    expect(get(store.statusOf('s1'))).toBe('offline');
    hub({ type: 'snapshot', ...snap('s1', 6000, 1) });
    expect(get(store.statusOf('s1'))).toBe('online');
    const recent = store.recentOf('s1').filter((p) => p.ts <= 1000);
    expect(recent.map((p) => p.ts)).toEqual([500, 1000]);
    expect(recent[1]).toMatchObject({ cpu: 42, diskUsed: 1000, diskTotal: 4000, netRxBps: 3, diskWriteBps: 2 });
  });

  it('keeps per-part families only for a server whose charts listen, the totals for every server', () => {
    const service = new LiveService({ url: 'ws://x', getToken: async () => 't', refreshToken: async () => true });
    const store = new LiveStore(service);
    const hub = (msg: object) => (service as unknown as { handle(data: string): void }).handle(JSON.stringify(msg));
    hub({ type: 'snapshot', ...snap('s1', 1000, 10) });
    const received: MetricPoint[] = [];
    const stop = store.onPoint('s1', (p) => received.push(p));
    hub({ type: 'snapshot', ...snap('s1', 2000, 20) });
    stop();
    hub({ type: 'snapshot', ...snap('s1', 3000, 30) });

    const [before, during, after] = store.recentOf('s1');
    expect([before.cpu, during.cpu, after.cpu]).toEqual([10, 20, 30]);
    expect(before).not.toHaveProperty('mounts');
    expect(after).not.toHaveProperty('cores');
    expect(during).toMatchObject({ cores: [20], mounts: { '/': { used: 250, total: 1000 }, '/data': { used: 750, total: 3000 } } });
    expect(received).toEqual([during]);
  });
  it('keeps each card\'s numbers from summaries and from whole snapshots, newest first', () => {
    const service = new LiveService({ url: 'ws://x', getToken: async () => 't', refreshToken: async () => true, summary: true });
    const store = new LiveStore(service);
    const hub = (msg: object) => (service as unknown as { handle(data: string): void }).handle(JSON.stringify(msg));
    const entry = (serverId: string, ts: number, cpu: number, status?: string) => ({
      serverId, ts, cpu, memUsed: 40, memTotal: 100, diskUsed: 1, diskTotal: 4, netRxBps: 3, netTxBps: 4, ...(status ? { status } : {}),
    });
    const seen: number[] = [];
    store.onSummary((m) => seen.push(m.servers.length));
    hub({ type: 'summary', ts: 2_000, servers: [entry('s1', 1_000, 10, 'online'), entry('s2', 1_000, 20)] });
    hub({ type: 'summary', ts: 3_000, servers: [entry('s1', 2_000, 30)] });
    expect(seen).toEqual([2, 1]);
    expect(get(store.summaryOf('s1'))?.cpu).toBe(30);
    expect(store.cpuTrail('s1')).toEqual([10, 30]);
    expect(get(store.statusOf('s1'))).toBe('online');

    hub({ type: 'snapshot', ...snap('s1', 3_000, 55) });
    expect(get(store.summaryOf('s1'))).toMatchObject({ ts: 3_000, cpu: 55, diskUsed: 1000, diskTotal: 4000 });
    hub({ type: 'summary', ts: 4_000, servers: [entry('s1', 2_500, 1)] });
    expect(get(store.summaryOf('s1'))?.cpu).toBe(55);
    expect(store.cpuTrail('s1')).toEqual([10, 30, 55]);
  });
});
