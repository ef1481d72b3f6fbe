import { describe, expect, it } from 'vitest';
import {
  DASH,
  formatBytes,
  formatClock,
  formatDateTime,
  formatDateYearMinute,
  formatDuration,
  formatLoad,
  formatMillis,
  formatMoment,
  formatMomentToMinute,
  formatNumber,
  formatPercent,
  formatRate,
  formatUsage,
  percentOf,
  toDatetimeLocal,
} from '.';

describe('formatBytes', () => {
  it('uses binary units with one decimal, trimming a trailing zero', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5 MiB');
    expect(formatBytes(16.25 * 1024 ** 3)).toBe('16.3 GiB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2 TiB');
  });

  it('carries into the next unit instead of printing 1024', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
  });

  it('shows a dash for missing or impossible values', () => {
    expect(formatBytes(undefined)).toBe(DASH);
    expect(formatBytes(null)).toBe(DASH);
    expect(formatBytes(Number.NaN)).toBe(DASH);
    expect(formatBytes(-1)).toBe(DASH);
  });
});

describe('formatRate and formatUsage', () => {
  it('adds per second', () => {
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(2.5 * 1024 ** 2)).toBe('2.5 MiB/s');
    expect(formatRate(undefined)).toBe(DASH);
  });
  it('shows used over total', () => {
    expect(formatUsage(4 * 1024 ** 3, 16 * 1024 ** 3)).toBe('4 GiB / 16 GiB');
  });
});

describe('formatPercent and percentOf', () => {
  it('formats percentages without needless decimals', () => {
    expect(formatPercent(12.54)).toBe('12.5%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(250.04)).toBe('250%');
    expect(formatPercent(33.333, 0)).toBe('33%');
    expect(formatPercent(undefined)).toBe(DASH);
  });
  it('computes a bounded share, 0 for an empty total', () => {
    expect(percentOf(25, 100)).toBe(25);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(200, 100)).toBe(100);
    expect(percentOf(undefined, 100)).toBe(0);
  });
});

describe('formatDuration', () => {
  it('uses the two largest units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(60)).toBe('1m');
    expect(formatDuration(312)).toBe('5m 12s');
    expect(formatDuration(3 * 3600 + 4 * 60 + 59)).toBe('3h 4m');
    expect(formatDuration(7200)).toBe('2h');
    expect(formatDuration(2 * 86_400 + 5 * 3600 + 7)).toBe('2d 5h');
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(-5)).toBe(DASH);
  });
});

describe('clock and load', () => {
  it('formats local wall-clock time as HH:MM:SS', () => {
    const ts = new Date(2025, 10, 26, 3, 12, 7).getTime();
    expect(formatClock(ts)).toBe('03:12:07');
    expect(toDatetimeLocal(ts)).toBe('2025-11-26T03:12:07');
    expect(new Date(toDatetimeLocal(ts)).getTime()).toBe(ts);
  });
  it('shows load with two decimals', () => {
    expect(formatLoad(0.4)).toBe('0.40');
    expect(formatLoad(undefined)).toBe(DASH);
  });
});

describe('locale-aware formatting', () => {
  const ts = new Date(2025, 10, 26, 3, 12, 7).getTime();

  it('writes durations with the language\'s units', () => {
    expect(formatDuration(2 * 86_400 + 5 * 3600, 'ko')).toBe('2일 5시간');
    expect(formatDuration(312, 'ko')).toBe('5분 12초');
    expect(formatDuration(312, 'en')).toBe('5m 12s');
  });

  it('writes dates in the language\'s order and words', () => {
    expect(formatDateTime(ts, 'en')).toBe('Nov 26, 03:12:07');
    expect(formatDateTime(ts, 'ko')).toBe('11월 26일 03:12:07');
    expect(formatClock(ts, 'ko')).toBe('03:12:07');
    expect(formatMoment(ts, ts + 60_000, 'en')).toBe('03:12:07');
    expect(formatMoment(ts, ts + 2 * 86_400_000, 'en')).toBe('Nov 26, 03:12:07');
    expect(formatDateYearMinute(ts, 'en')).toBe('Nov 26, 2025, 03:12');
    expect(formatDateYearMinute(ts, 'ko')).toBe('2025년 11월 26일 03:12');
  });

  it('uses the locale\'s decimal separator and grouping for numbers, bytes, rates and percentages', () => {
    expect(formatNumber(12345, 0, 'en')).toBe('12,345');
    expect(formatNumber(12345, 0, 'ko')).toBe('12,345');
    expect(formatBytes(1536, 1, 'de')).toBe('1,5 KiB');
    expect(formatRate(2.5 * 1024 ** 2, 1, 'de')).toBe('2,5 MiB/s');
    expect(formatPercent(12.54, 1, 'de')).toBe('12,5%');
    expect(formatLoad(0.4, 'de')).toBe('0,40');
    expect(formatBytes(1536, 1, 'ko')).toBe('1.5 KiB');
  });
});

describe('formatMillis', () => {
  it('shows latencies in ms, one decimal under 10 ms', () => {
    expect(formatMillis(4.25)).toBe('4.3 ms');
    expect(formatMillis(12.4)).toBe('12 ms');
    expect(formatMillis(1234)).toBe('1,234 ms');
    expect(formatMillis(null)).toBe(DASH);
    expect(formatMillis(-1)).toBe(DASH);
  });
});

describe('formatMomentToMinute', () => {
  it('drops the seconds, and adds the date when the moment is not today', () => {
    const ts = new Date(2026, 10, 26, 3, 12, 7).getTime();
    expect(formatMomentToMinute(ts, ts + 60_000)).toBe('03:12');
    expect(formatMomentToMinute(ts, ts + 2 * 86_400_000)).toBe('Nov 26, 03:12');
    expect(formatMomentToMinute(ts, ts + 2 * 86_400_000, 'ko')).toBe('11월 26일 03:12');
  });
});
