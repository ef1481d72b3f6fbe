import { describe, expect, it } from 'vitest';
import { friendlyDurations, fromIso, isoToMs, toIso } from './retention';

describe('retention durations', () => {
  it('shows whole days as days and the rest as hours', () => {
    expect(fromIso('P30D')).toEqual({ amount: 30, unit: 'days' });
    expect(fromIso('P730D')).toEqual({ amount: 730, unit: 'days' });
    expect(fromIso('PT48H')).toEqual({ amount: 2, unit: 'days' });
    expect(fromIso('PT12H')).toEqual({ amount: 12, unit: 'hours' });
    expect(fromIso('P1DT6H')).toEqual({ amount: 30, unit: 'hours' });
    expect(fromIso('PT1H30M')).toEqual({ amount: 1.5, unit: 'hours' });
  });

  it('writes the ISO-8601 form the hub reads', () => {
    expect(toIso({ amount: 30, unit: 'days' })).toBe('P30D');
    expect(toIso({ amount: 12, unit: 'hours' })).toBe('PT12H');
    expect(toIso({ amount: 48, unit: 'hours' })).toBe('P2D');
    expect(toIso({ amount: 1.5, unit: 'hours' })).toBe('PT90M');
    expect(toIso({ amount: 0.5, unit: 'days' })).toBe('PT12H');
  });

  it('refuses empty, zero, negative and non-numbers', () => {
    expect(toIso({ amount: null, unit: 'days' })).toBeNull();
    expect(toIso({ amount: 0, unit: 'hours' })).toBeNull();
    expect(toIso({ amount: -3, unit: 'days' })).toBeNull();
    expect(toIso({ amount: Number.NaN, unit: 'days' })).toBeNull();
  });

  it('round-trips every value the form can hold', () => {
    for (const iso of ['PT1H', 'PT23H', 'P1D', 'P31D', 'P90D', 'P3650D', 'PT90M']) expect(toIso(fromIso(iso))).toBe(iso);
  });

  it('reads only the durations java.time.Duration writes', () => {
    expect(isoToMs('PT0.5S')).toBe(500);
    expect(isoToMs('P1Y')).toBeNull();
    expect(isoToMs('P')).toBeNull();
    expect(isoToMs('PT')).toBeNull();
    expect(isoToMs('30 days')).toBeNull();
    expect(fromIso('nonsense')).toEqual({ amount: null, unit: 'days' });
  });

  it('says the limits in the hub messages in words', () => {
    expect(friendlyDurations('must be between PT1H and PT744H', 'en')).toBe('must be between 1 hour and 31 days');
    expect(friendlyDurations('must be between P1D and PT87600H', 'en')).toBe('must be between 1 day and 3,650 days');
    expect(friendlyDurations('must be at least as long as raw', 'en')).toBe('must be at least as long as raw');
    expect(friendlyDurations('such as PT90M', 'ko')).toBe('such as 90분');
  });
});
