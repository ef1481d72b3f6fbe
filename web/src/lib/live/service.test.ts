import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff';
import { LiveService, type LiveOptions, type SocketLike } from './service';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.closedWith = { code, reason };
  }
  // Hub side
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  hubClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  /** Opens, checks auth came first, and answers ready. */
  handshake(): void {
    this.open();
    this.receive({ type: 'ready', user: { id: 'u1' } });
  }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1];
/** Lets due timers and the promise chains they start run (fake timers push a 0 ms timer set inside a tick to 1 ms). */
async function flush() {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1);
}

function snapshot(serverId: string, ts: number, cpu = 10) {
  return { type: 'snapshot', serverId, ts, cpu: { usage: cpu, cores: [], load1: 0, load5: 0, load15: 0 } };
}

function make(overrides: Partial<LiveOptions> = {}) {
  let token = 'tok-1';
  const getToken = vi.fn(async () => token);
  const refreshToken = vi.fn(async () => {
    token = 'tok-2';
    return true;
  });
  const service = new LiveService({
    url: 'ws://hub.test/api/v1/ws',
    getToken,
    refreshToken,
    socket: (url) => new FakeSocket(url),
    random: () => 0.5,
    ...overrides,
  });
  const snapshots: { serverId: string; ts: number }[] = [];
  service.on('snapshot', (s) => snapshots.push({ serverId: s.serverId, ts: s.ts }));
  const states: string[] = [];
  service.on('state', (s) => states.push(s));
  return { service, getToken, refreshToken, snapshots, states };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveService handshake', () => {
  it('sends auth first, subscribes to every server only after ready', async () => {
    const { service, states } = make();
    service.start();
    await flush();
    const ws = latest();
    expect(ws.url).toBe('ws://hub.test/api/v1/ws');
    ws.open();
    expect(ws.sent).toEqual([{ type: 'auth', token: 'tok-1' }]);
    ws.receive({ type: 'ready', user: { id: 'u1' } });
    expect(ws.sent[1]).toEqual({ type: 'subscribe', serverIds: '*' });
    expect(service.state).toBe('live');
    expect(states).toEqual(['connecting', 'live']);
  });

  it('subscribes to a list when given one', async () => {
    const { service } = make({ serverIds: ['a', 'b'] });
    service.start();
    await flush();
    latest().handshake();
    expect(latest().sent[1]).toEqual({ type: 'subscribe', serverIds: ['a', 'b'] });
  });

  it('answers the hub ping with a pong carrying the same ts', async () => {
    const { service } = make();
    service.start();
    await flush();
    const ws = latest();
    ws.handshake();
    ws.receive({ type: 'ping', ts: 1234 });
    expect(ws.sent.at(-1)).toEqual({ type: 'pong', ts: 1234 });
  });

  it('forwards status and error messages', async () => {
    const { service } = make();
    const statuses: unknown[] = [];
    const errors: unknown[] = [];
    service.on('status', (m) => statuses.push(m));
    service.on('error', (m) => errors.push(m));
    service.start();
    await flush();
    latest().handshake();
    latest().receive({ type: 'status', serverId: 's1', status: 'offline', ts: 5 });
    latest().receive({ type: 'error', code: 'bad-message', message: 'unknown type' });
    expect(statuses).toEqual([{ type: 'status', serverId: 's1', status: 'offline', ts: 5 }]);
    expect(errors).toEqual([{ type: 'error', code: 'bad-message', message: 'unknown type' }]);
  });

  it('stops for good when there is no session', async () => {
    const { service } = make({ getToken: async () => null });
    service.start();
    await flush();
    expect(FakeSocket.all).toHaveLength(0);
    expect(service.state).toBe('stopped');
  });
});

describe('LiveService resume', () => {
  it('resubscribes with since = newest ts received and drops the replayed duplicates', async () => {
    const { service, snapshots, getToken } = make();
    service.start();
    await flush();
    const first = latest();
    first.handshake();
    first.receive(snapshot('s1', 1000));
    first.receive(snapshot('s1', 2000));
    first.receive(snapshot('s1', 3000));
    first.hubClose(1006);
    expect(service.state).toBe('reconnecting');

    await vi.advanceTimersByTimeAsync(1_000);
    const second = latest();
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent[0]).toEqual({ type: 'auth', token: 'tok-1' });
    expect(getToken).toHaveBeenCalledTimes(2);
    second.receive({ type: 'ready', user: { id: 'u1' } });
    expect(second.sent[1]).toEqual({ type: 'subscribe', serverIds: '*', since: 3000 });

    // The hub replays from its ring buffer (including what we had), then goes on live.
    for (const ts of [2000, 3000, 4000, 5000, 6000]) second.receive(snapshot('s1', ts));
    second.receive(snapshot('s1', 6000));
    expect(snapshots.map((s) => s.ts)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('de-duplicates per server, so equal timestamps on two servers both pass', async () => {
    const { service, snapshots } = make();
    service.start();
    await flush();
    latest().handshake();
    latest().receive(snapshot('a', 1000));
    latest().receive(snapshot('b', 1000));
    latest().receive(snapshot('a', 1000));
    expect(snapshots).toEqual([
      { serverId: 'a', ts: 1000 },
      { serverId: 'b', ts: 1000 },
    ]);
  });

  it('resumes from the server that is furthest behind, ignoring ones that went quiet long ago', async () => {
    const { service } = make({ staleMs: 60_000 });
    service.start();
    await flush();
    latest().handshake();
    latest().receive(snapshot('old', 100_000));
    latest().receive(snapshot('a', 500_000));
    latest().receive(snapshot('b', 498_000));
    latest().hubClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    latest().handshake();
    expect(latest().sent[1]).toEqual({ type: 'subscribe', serverIds: '*', since: 498_000 });
  });

  it('asks for a replay on demand (to close the gap after a history load)', async () => {
    const { service } = make();
    service.start();
    await flush();
    latest().handshake();
    service.replaySince(42);
    expect(latest().sent.at(-1)).toEqual({ type: 'subscribe', serverIds: '*', since: 42 });
  });

  it('keeps a replay asked for before the socket is ready for its first subscribe', async () => {
    const { service } = make();
    service.start();
    service.replaySince(5000);
    service.replaySince(7000);
    await flush();
    latest().handshake();
    expect(latest().sent[1]).toEqual({ type: 'subscribe', serverIds: '*', since: 5000 });
  });

  it('tails logs, switches the tail without doubling it, and subscribes again after a reconnect', async () => {
    const { service } = make();
    const logs: unknown[] = [];
    service.on('message', (m) => {
      if (m.type === 'log') logs.push(m);
    });
    service.start();
    service.tailLogs(['a']); // before ready: sent with the first subscribe
    await flush();
    latest().handshake();
    expect(latest().sent.slice(1)).toEqual([
      { type: 'subscribe', serverIds: '*' },
      { type: 'subscribe-logs', serverIds: ['a'] },
    ]);
    service.tailLogs('*');
    expect(latest().sent.slice(-2)).toEqual([{ type: 'unsubscribe-logs' }, { type: 'subscribe-logs', serverIds: '*' }]);
    latest().receive({ type: 'log', ts: 1, source: 'hub', level: 'info', message: 'Signed in' });
    expect(logs).toHaveLength(1);

    latest().hubClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    latest().handshake();
    expect(latest().sent.at(-1)).toEqual({ type: 'subscribe-logs', serverIds: '*' });

    service.tailLogs(null);
    expect(latest().sent.at(-1)).toEqual({ type: 'unsubscribe-logs' });
    latest().hubClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    latest().handshake();
    expect(latest().sent.map((m) => m.type)).not.toContain('subscribe-logs');
  });
});

describe('LiveService summary mode', () => {
  it('subscribes to summaries of every server and to whole snapshots only of watched servers', async () => {
    const { service, snapshots } = make({ summary: true });
    const summaries: number[] = [];
    service.on('summary', (m) => summaries.push(m.servers.length));
    service.start();
    await flush();
    const ws = latest();
    ws.handshake();
    expect(ws.sent.slice(1)).toEqual([{ type: 'subscribe-summary', serverIds: '*' }]);
    ws.receive({ type: 'summary', ts: 5, servers: [{ serverId: 'a', ts: 4, cpu: 1, memUsed: 1, memTotal: 2, diskUsed: 1, diskTotal: 2, netRxBps: 0, netTxBps: 0 }] });
    expect(summaries).toEqual([1]);

    const unwatch = service.watch('a');
    const again = service.watch('a');
    expect(ws.sent.at(-1)).toEqual({ type: 'subscribe', serverIds: ['a'] });
    ws.receive(snapshot('a', 1_000));
    expect(snapshots).toEqual([{ serverId: 'a', ts: 1_000 }]);
    unwatch();
    expect(ws.sent.at(-1)).toEqual({ type: 'subscribe', serverIds: ['a'] });
    again();
    expect(ws.sent.at(-1)).toEqual({ type: 'unsubscribe', serverIds: ['a'] });
  });

  it('watches again after a reconnect, resuming from the newest snapshot it has', async () => {
    const { service } = make({ summary: true });
    service.start();
    await flush();
    latest().handshake();
    service.watch('a');
    latest().receive(snapshot('a', 2_000));
    latest().hubClose(1006);
    await vi.advanceTimersByTimeAsync(20_000);
    const ws = latest();
    ws.handshake();
    expect(ws.sent.slice(1)).toEqual([
      { type: 'subscribe-summary', serverIds: '*' },
      { type: 'subscribe', serverIds: ['a'], since: 2_000 },
    ]);
  });

  it('passes the coalesced marker on', async () => {
    const { service } = make();
    const markers: number[] = [];
    service.on('coalesced', (m) => markers.push(m.skipped));
    service.start();
    await flush();
    latest().handshake();
    latest().receive({ type: 'coalesced', ts: 1, skipped: 12, logsSkipped: 0 });
    expect(markers).toEqual([12]);
  });
});

describe('LiveService reconnect', () => {
  it('backs off exponentially with full jitter, capped, and resets after a good connection', async () => {
    const { service } = make({ random: () => 0.999 });
    service.start();
    await flush();
    expect(FakeSocket.all).toHaveLength(1);

    // Each failed attempt waits just under min(cap, 500·2^n) with random≈1.
    const expected = [499, 999, 1998, 3996, 7992, 14985, 14985];
    for (const delay of expected) {
      const count = FakeSocket.all.length;
      latest().hubClose(1006);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(FakeSocket.all).toHaveLength(count);
      await vi.advanceTimersByTimeAsync(1);
      expect(FakeSocket.all).toHaveLength(count + 1);
    }

    latest().handshake();
    const count = FakeSocket.all.length;
    latest().hubClose(1006);
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(count + 1);
  });

  it('rides out a hub restart: refused attempts back off, then it resumes where it left off with no gap', async () => {
    const { service, snapshots, states } = make({ random: () => 0.5 });
    service.start();
    await flush();
    const before = latest();
    before.handshake();
    before.receive(snapshot('s1', 1000));
    before.receive(snapshot('s1', 2000));
    before.hubClose(1012); // service restart

    // The hub is down for a while: every attempt is refused before it opens.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      latest().hubClose(1006);
    }
    expect(service.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(15_000);
    const after = latest();
    after.handshake();
    expect(after.sent.at(-1)).toEqual({ type: 'subscribe', serverIds: '*', since: 2000 });
    for (const ts of [2000, 3000, 4000]) after.receive(snapshot('s1', ts));
    expect(snapshots.map((x) => x.ts)).toEqual([1000, 2000, 3000, 4000]);
    expect(states.at(-1)).toBe('live');
  });

  it('keeps every backoff delay within [0, min(cap, base·2^attempt))', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(15_000, 500 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const d = backoffDelay(attempt, 500, 15_000, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
      expect(backoffDelay(attempt, 500, 15_000, () => 0)).toBe(0);
    }
    expect(backoffDelay(3, 500, 15_000, () => 0.5)).toBe(2000);
  });

  it('treats 45 s of silence as a dead link: closes and reconnects', async () => {
    const { service } = make({ random: () => 0 });
    service.start();
    await flush();
    const ws = latest();
    ws.handshake();

    await vi.advanceTimersByTimeAsync(30_000);
    ws.receive({ type: 'ping', ts: 1 });
    await vi.advanceTimersByTimeAsync(44_000);
    expect(ws.closedWith).toBeNull();
    expect(FakeSocket.all).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(ws.closedWith).not.toBeNull();
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
    expect(service.state).toBe('reconnecting');
    // Late events from the dead socket are ignored.
    ws.receive(snapshot('s1', 1));
    ws.hubClose(1006);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('gives up on a socket that never says ready', async () => {
    const { service } = make({ random: () => 0 });
    service.start();
    await flush();
    latest().open();
    await vi.advanceTimersByTimeAsync(15_000);
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('refreshes the token and reconnects at once after a 4401 close', async () => {
    const { service, refreshToken } = make({ random: () => 0.999 });
    service.start();
    await flush();
    latest().handshake();
    latest().hubClose(4401);
    await flush();
    expect(refreshToken).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(2);
    latest().open();
    expect(latest().sent[0]).toEqual({ type: 'auth', token: 'tok-2' });
  });

  it('stops when the refresh after 4401 is refused', async () => {
    const { service } = make({ refreshToken: async () => false });
    service.start();
    await flush();
    latest().handshake();
    latest().hubClose(4401);
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(service.state).toBe('stopped');
  });

  it('stop() closes the socket and schedules nothing more', async () => {
    const { service } = make();
    service.start();
    await flush();
    const ws = latest();
    ws.handshake();
    service.stop();
    expect(ws.closedWith?.code).toBe(1000);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(service.state).toBe('stopped');
  });

  it('reconnectNow skips the wait', async () => {
    const { service } = make({ random: () => 0.999 });
    service.start();
    await flush();
    latest().hubClose(1006);
    service.reconnectNow();
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
  });
});
