import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, parseLocalDateTime } from './datetime';

describe('date-time field values', () => {
  it('reads a local date and time with or without seconds', () => {
    expect(parseLocalDateTime('2026-03-05T09:07:30')).toBe(new Date(2026, 2, 5, 9, 7, 30).getTime());
    expect(parseLocalDateTime('2026-03-05T09:07')).toBe(new Date(2026, 2, 5, 9, 7, 0).getTime());
    expect(parseLocalDateTime(' 2026-03-05 09:07 ')).toBe(new Date(2026, 2, 5, 9, 7, 0).getTime());
  });

  it('refuses impossible dates and times instead of rolling them over', () => {
    for (const bad of ['2026-02-30T10:00', '2026-04-31T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01T10:60', '2026-01-01T10:00:61']) {
      expect(parseLocalDateTime(bad), bad).toBeNull();
    }
    expect(parseLocalDateTime('2024-02-29T10:00')).not.toBeNull();
    expect(parseLocalDateTime('2026-02-29T10:00')).toBeNull();
  });

  it('refuses text that is not a date-time', () => {
    for (const bad of ['', 'now', '2026-03-05', '09:07', '2026-3-5T9:07', '2026-03-05T09:07:30Z']) {
      expect(parseLocalDateTime(bad), bad).toBeNull();
    }
  });

  it('writes what it reads back, to the second', () => {
    const ts = new Date(2026, 10, 30, 23, 59, 58).getTime();
    expect(formatLocalDateTime(ts)).toBe('2026-11-30T23:59:58');
    expect(parseLocalDateTime(formatLocalDateTime(ts))).toBe(ts);
    expect(formatLocalDateTime(ts, false)).toBe('2026-11-30T23:59');
  });
});
