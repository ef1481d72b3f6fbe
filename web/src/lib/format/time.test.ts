import { describe, expect, it } from 'vitest';
import { formatBitRate, formatChartMoment, formatTimeTick, zoneName, zoneOffsetMinutes } from '.';

const at = Date.UTC(2026, 10, 26, 17, 48, 5);

describe('chart times', () => {
  it('reads 24-hour time with seconds in the user language, no am/pm', () => {
    expect(formatChartMoment(at, 'utc', 'en')).toMatch(/17:48:05/);
    const ko = formatChartMoment(at, 'utc', 'ko');
    expect(ko).toMatch(/17:48:05/);
    expect(ko).toMatch(/11월 26일/);
    expect(ko).not.toMatch(/오후|오전|pm|PM|Time/);
  });

  it('labels ticks in the chosen zone', () => {
    expect(formatTimeTick(at, 'second', 'utc', 'en')).toBe('17:48:05');
    expect(formatTimeTick(at, 'minute', 'utc', 'ko')).toBe('17:48');
    expect(formatTimeTick(at, 'day', 'utc', 'ko')).toBe('11월 26일');
    expect(zoneName('utc')).toBe('UTC');
    expect(zoneOffsetMinutes(at, 'utc')).toBe(0);
  });

  it('shows rates in bits with decimal units', () => {
    expect(formatBitRate(1_250_000, 1, 'en')).toBe('10 Mbit/s');
    expect(formatBitRate(124_999, 1, 'en')).toBe('1 Mbit/s');
    expect(formatBitRate(null)).toBe('–');
  });
});
