import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteWriteSettings, RemoteWriteStatus } from '../../lib/api/remoteWrite';
import { setLocale } from '../../lib/i18n';
import { describeLastError, draftErrors, draftFrom, hasErrors, keepsStored, labelRow, serverErrors, statusView, toUpdate } from './remoteWrite';

const off: RemoteWriteSettings = { hasBearerToken: false, hasBasicPassword: false, extraLabels: {} };
const bearer: RemoteWriteSettings = {
  url: 'https://prom.example/api/v1/write',
  hasBearerToken: true,
  hasBasicPassword: false,
  extraLabels: { env: 'prod', region: 'kr' },
};
const basic: RemoteWriteSettings = { url: 'http://mimir:9009/api/v1/push', hasBearerToken: false, basicUsername: 'flick', hasBasicPassword: true };

afterEach(() => setLocale('en'));

describe('remote write form', () => {
  it('reads what the hub holds, secrets left blank', () => {
    expect(draftFrom(off)).toMatchObject({ enabled: false, url: '', auth: 'none', labels: [] });
    const d = draftFrom(bearer);
    expect(d).toMatchObject({ enabled: true, url: bearer.url, auth: 'bearer', bearerToken: '', hasBearerToken: true });
    expect(d.labels.map((r) => [r.name, r.value])).toEqual([['env', 'prod'], ['region', 'kr']]);
    expect(draftFrom(basic)).toMatchObject({ auth: 'basic', basicUsername: 'flick', basicPassword: '', hasBasicPassword: true });
    expect(keepsStored(draftFrom(basic), 'basicPassword')).toBe(true);
  });

  it('keeps the typed URL when the hub answers that it is off', () => {
    const before = { ...draftFrom(bearer), enabled: false };
    expect(draftFrom(off, before)).toMatchObject({ enabled: false, url: bearer.url });
  });

  it('leaves a stored secret out of the body unless something is typed', () => {
    const d = draftFrom(bearer);
    expect(toUpdate(d)).toEqual({
      url: bearer.url,
      basicUsername: '',
      basicPassword: '',
      extraLabels: { env: 'prod', region: 'kr' },
    });
    expect(toUpdate({ ...d, bearerToken: ' new ' }).bearerToken).toBe('new');
    const b = draftFrom(basic);
    expect(toUpdate(b)).toEqual({ url: basic.url, bearerToken: '', basicUsername: 'flick', extraLabels: {} });
    expect(toUpdate({ ...b, basicPassword: 'pw' }).basicPassword).toBe('pw');
  });

  it('removes the other kind of sign-in, and all of it for none', () => {
    expect(toUpdate({ ...draftFrom(bearer), auth: 'basic', basicUsername: 'u' })).toMatchObject({ bearerToken: '', basicUsername: 'u' });
    expect(toUpdate({ ...draftFrom(basic), auth: 'none' })).toMatchObject({ bearerToken: '', basicUsername: '', basicPassword: '' });
  });

  it('turns off with an empty URL and skips empty label rows', () => {
    const d = { ...draftFrom(bearer), enabled: false, labels: [labelRow(' env ', 'prod'), labelRow('', '')] };
    expect(toUpdate(d)).toMatchObject({ url: '', extraLabels: { env: 'prod' } });
  });

  it('checks the URL, the sign-in and the labels before sending', () => {
    expect(hasErrors(draftErrors(draftFrom(bearer)))).toBe(false);
    expect(hasErrors(draftErrors(draftFrom(off)))).toBe(false);
    const on = { ...draftFrom(off), enabled: true };
    expect(draftErrors(on).fields.url).toBe('Enter the receiver’s URL, or turn remote write off.');
    expect(draftErrors({ ...on, url: 'ftp://x/y' }).fields.url).toBe('Must be an http:// or https:// URL.');
    expect(draftErrors({ ...on, url: 'https://u:p@x/y' }).fields.url).toMatch(/^Must not carry/);
    expect(draftErrors({ ...on, url: 'https://x/y', auth: 'bearer' }).fields.bearerToken).toBe('Enter the token.');
    expect(draftErrors({ ...draftFrom(bearer) }).fields.bearerToken).toBeUndefined();
    expect(draftErrors({ ...on, url: 'https://x/y', auth: 'basic' }).fields.basicUsername).toBe('Enter the username.');

    const rows = [labelRow('job', 'x'), labelRow('__x', 'y'), labelRow('9a', 'z'), labelRow('env', ''), labelRow('ok', '1'), labelRow('ok', '2')];
    const e = draftErrors({ ...draftFrom(off), labels: rows });
    expect(Object.keys(e.rows).map(Number)).toEqual([rows[0].id, rows[1].id, rows[2].id, rows[3].id, rows[5].id]);
    expect(e.rows[rows[3].id]).toBe('The value of “env” must be 1–1000 characters.');
    expect(e.rows[rows[5].id]).toBe('“ok” is already a label.');
    const many = Array.from({ length: 21 }, (_, i) => labelRow(`l${i}`, 'v'));
    expect(draftErrors({ ...draftFrom(off), labels: many }).fields.extraLabels).toBe('At most 20 labels.');
  });

  it('puts the hub’s field errors next to the right input, translated', () => {
    setLocale('ko');
    const d = { ...draftFrom(bearer), labels: [labelRow('env', 'prod'), labelRow('team', 'x'.repeat(1001))] };
    const placed = serverErrors(
      [
        { field: 'url', message: 'must be an http:// or https:// URL' },
        { field: 'bearerToken', message: 'give a bearer token or basic auth, not both' },
        { field: 'extraLabels', message: 'the value of "team" must be 1–1000 characters' },
        { field: 'extraLabels', message: 'at most 20 labels' },
        { field: 'extraLabels', message: '"gone" is not a label name FLick may add (letters, digits, _; not __*, server, server_id, job, instance)' },
        { field: 'other', message: 'something new' },
      ],
      d,
    );
    expect(placed.fields.url).toBe('http:// 또는 https:// 주소여야 합니다.');
    expect(placed.fields.bearerToken).toBe('Bearer 토큰과 사용자 이름·비밀번호 중 하나만 쓰세요.');
    expect(placed.rows[d.labels[1].id]).toBe('“team”의 값은 1~1000자여야 합니다.');
    expect(placed.rows[d.labels[0].id]).toBeUndefined();
    // A label no row holds any more, and the count, go under the labels.
    expect(placed.fields.extraLabels).toMatch(/^레이블은 최대 20개입니다\.; “gone”/);
    expect(placed.stray).toEqual(['other: something new']);
  });
});

describe('remote write status', () => {
  const status: RemoteWriteStatus = {
    enabled: true,
    queuedSamples: 12_345,
    queuedSnapshots: 301,
    queuedBytes: 1_572_864,
    lagMs: 192_000,
    sentSamples: 1_000_000,
    rejectedSamples: 41,
    droppedSamples: 120,
    dropped: { age: 20, backlog: 100, bytes: 0 },
    lastError: 'The receiver answered HTTP 503 (retrying)',
    lastErrorAt: new Date(2026, 0, 5, 10, 42, 7).getTime(),
    lastSentAt: new Date(2026, 0, 5, 10, 42, 9).getTime(),
  };
  const now = new Date(2026, 0, 5, 11, 0, 0).getTime();

  it('formats counts, bytes, lag and moments for the language', () => {
    const v = statusView(status, now);
    expect(v.state).toBe('On');
    expect(v.queued).toBe('12,345 samples in 301 snapshots (1.5 MiB)');
    expect(v.lag).toBe('3m 12s');
    expect(v.sent).toBe('1,000,000');
    expect(v.lastSent).toBe('last at 10:42:09');
    expect(v.rejected).toBe('41');
    expect(v.dropped).toBe('120');
    expect(v.droppedBy).toEqual([
      { reason: 'backlog', label: 'hand-off full (disk too slow)', samples: '100' },
      { reason: 'age', label: 'too old to send', samples: '20' },
    ]);
    expect(v.lastError).toEqual({ text: 'The receiver answered HTTP 503; retrying.', when: '10:42:07' });
  });

  it('says when nothing waits and nothing failed', () => {
    const v = statusView({ ...status, enabled: false, lagMs: undefined, lastError: null, lastSentAt: null, dropped: {} }, now);
    expect(v).toMatchObject({ state: 'Off', lag: 'Nothing waiting', lastError: null, lastSent: null, droppedBy: [] });
    setLocale('ko');
    expect(statusView({ ...status, lagMs: null }, now).lag).toBe('기다리는 샘플 없음');
  });

  it('translates the hub’s last errors, and shows an unknown one as it came', () => {
    expect(describeLastError('Cannot reach the receiver (connection refused)')).toBe('The receiver refused the connection.');
    expect(describeLastError('Cannot reach the receiver (timed out)')).toBe('The receiver did not answer in time.');
    expect(describeLastError('Cannot reach the receiver (SSLHandshakeException)')).toBe('Cannot reach the receiver (SSLHandshakeException).');
    expect(describeLastError('The receiver refused 4100 samples: HTTP 400')).toBe('The receiver refused 4,100 samples (HTTP 400); they were skipped.');
    expect(describeLastError('The remote-write queue cannot be read: bad CRC')).toBe('The queue on disk cannot be read: bad CRC');
    expect(describeLastError('Something else')).toBe('Something else');
    setLocale('ko');
    expect(describeLastError('The receiver answered HTTP 429 (retrying)')).toBe('수신기가 HTTP 429로 응답했습니다. 다시 시도하는 중입니다.');
  });
});
