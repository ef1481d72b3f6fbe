import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage, type LiveMessage, type LiveMessageType } from './messages';

/** The messages the hub's serialiser is tested to write exactly (LiveJsonTest and friends on the Java side). */
const DIR = fileURLToPath(new URL('../../../../server/src/test/resources/live-fixtures/', import.meta.url));
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f.replace(/\.json$/, ''), text: readFileSync(DIR + f, 'utf8').trim() }));

function fixture(name: string): LiveMessage {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  const m = parseMessage(f.text);
  if (!m) throw new Error(`fixture ${name} was refused`);
  return m;
}

describe('live messages', () => {
  it('accepts every recorded hub message', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const f of fixtures) expect(parseMessage(f.text), f.name).not.toBeNull();
  });

  it('has a recorded fixture for every message type', () => {
    const types = new Set(fixtures.map((f) => parseMessage(f.text)?.type));
    const all: LiveMessageType[] = ['snapshot', 'status', 'alert', 'notification', 'log', 'ready', 'ping', 'error', 'coalesced', 'summary'];
    expect([...types].sort()).toEqual([...all].sort());
  });

  it('maps each message to its type with the fields readers use', () => {
    const s = fixture('snapshot');
    expect(s.type === 'snapshot' && s.serverId === 'srv-1' && s.cpu.usage === 37.5).toBe(true);

    const status = fixture('status');
    if (status.type !== 'status') throw new Error(status.type);
    expect(status.reason).toBe('Connection refused\tport 22\r\nretrying "soon" \\ \u0001');

    const alert = fixture('alert');
    if (alert.type !== 'alert') throw new Error(alert.type);
    expect([alert.state, alert.level, alert.evidence.processes[0].name]).toEqual(['firing', 'critical', 'java']);

    const n = fixture('notification');
    if (n.type !== 'notification') throw new Error(n.type);
    expect([n.read, n.serverId]).toEqual([false, 'srv-1']);

    const log = fixture('log-hub');
    if (log.type !== 'log') throw new Error(log.type);
    expect([log.serverId, log.actor]).toEqual([undefined, 'admin@example.com']);

    const summary = fixture('summary');
    if (summary.type !== 'summary') throw new Error(summary.type);
    expect(summary.servers.map((x) => [x.serverId, x.status])).toEqual([
      ['srv-1', 'online'],
      ['srv-2', undefined],
    ]);

    const c = fixture('coalesced');
    expect(c.type === 'coalesced' && c.skipped).toBe(1234);
  });

  it('refuses what is not a known, complete message', () => {
    expect(parseMessage('not json')).toBeNull();
    expect(parseMessage('[1]')).toBeNull();
    expect(parseMessage('{"type":"gossip"}')).toBeNull();
    expect(parseMessage('{"type":"toString"}')).toBeNull();
    expect(parseMessage('{"type":"snapshot","serverId":"a"}')).toBeNull();
    expect(parseMessage('{"type":"status","serverId":"a","status":"sleeping","ts":1}')).toBeNull();
    expect(parseMessage('{"type":"summary","ts":1,"servers":[{"serverId":"a"}]}')).toBeNull();
  });
});
