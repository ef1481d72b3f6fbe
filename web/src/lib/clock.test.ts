import { afterEach, describe, expect, it } from 'vitest';
import { clockOffsetNote } from './clock';
import { setLocale } from './i18n';

describe('clockOffsetNote', () => {
  afterEach(() => setLocale('en'));

  it('says nothing when the offset is unknown or under a second', () => {
    expect(clockOffsetNote(null)).toBeNull();
    expect(clockOffsetNote(undefined)).toBeNull();
    expect(clockOffsetNote(Number.NaN)).toBeNull();
    expect(clockOffsetNote(0)).toBeNull();
    expect(clockOffsetNote(999)).toBeNull();
    expect(clockOffsetNote(-999)).toBeNull();
  });

  it('says which way the agent clock is off, in the duration format, calm under a minute', () => {
    expect(clockOffsetNote(1_000)).toEqual({ text: 'Clock 1s ahead of the hub — stored at hub time', warn: false });
    expect(clockOffsetNote(-42_400)).toEqual({ text: 'Clock 42s behind the hub — stored at hub time', warn: false });
    expect(clockOffsetNote(59_499)?.warn).toBe(false);
  });

  it('warns from one minute on and rounds to whole seconds', () => {
    expect(clockOffsetNote(60_000)).toEqual({ text: 'Clock 1m ahead of the hub — stored at hub time', warn: true });
    expect(clockOffsetNote(3_599_600)?.text).toBe('Clock 1h ahead of the hub — stored at hub time');
    expect(clockOffsetNote(-(2 * 86_400 + 5 * 3600) * 1000)?.text).toBe('Clock 2d 5h behind the hub — stored at hub time');
  });

  it('is translated', () => {
    setLocale('ko');
    expect(clockOffsetNote(3_600_000, 'ko')?.text).toBe('시계가 허브보다 1시간 빠름 — 허브 시각으로 저장됨');
    expect(clockOffsetNote(-90_000, 'ko')?.text).toBe('시계가 허브보다 1분 30초 느림 — 허브 시각으로 저장됨');
  });
});
