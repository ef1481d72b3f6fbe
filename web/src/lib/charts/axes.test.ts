import { describe, expect, it } from 'vitest';
import { formatBitRate, formatBytes, formatRate, formatTimeTick } from '../format';
import { BINARY_INCRS, DECIMAL_INCRS, labelKind, pickStep, scaleTop, stepSplits, timeTicks, valueTicks, type TimeLabelKind } from './axes';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Mantissa of a decimal step: 1, 2 or 5. */
const mantissa = (v: number) => Number((v / 10 ** Math.floor(Math.log10(v) + 1e-9)).toPrecision(3));

describe('value ticks', () => {
  it('steps decimal axes by 1, 2 or 5 times a power of ten', () => {
    expect(DECIMAL_INCRS.every((v) => [1, 2, 5].includes(mantissa(v)))).toBe(true);
    for (const max of [0.37, 3.7, 37, 93.4, 100, 1234, 987_654]) {
      for (const px of [80, 160, 320]) {
        const ticks = valueTicks(0, max, px, 'decimal');
        const step = ticks[1] - ticks[0];
        expect([1, 2, 5]).toContain(mantissa(step));
        expect(ticks.every((t) => Math.abs(t / step - Math.round(t / step)) < 1e-6)).toBe(true);
      }
    }
    expect(valueTicks(0, 100, 160, 'decimal')).toEqual([0, 20, 40, 60, 80, 100]);
    expect(valueTicks(0, 2.4, 160, 'decimal')).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('steps byte axes in binary units so labels read 512 MiB, 1 GiB', () => {
    expect(BINARY_INCRS.every((v) => Number.isInteger(Math.log2(v)))).toBe(true);
    const ticks = valueTicks(0, 1.7 * GiB, 160, 'binary');
    expect(ticks.map((v) => formatBytes(v, 2, 'en'))).toEqual(['0 B', '512 MiB', '1 GiB', '1.5 GiB']);
    // The 953.7 MiB / 19.1 MiB/s came from decimal steps on bytes: never again.
    for (const max of [950 * MiB, 20 * MiB, 3.3 * GiB, 77_000, 5]) {
      for (const px of [60, 120, 200, 400]) {
        for (const v of valueTicks(0, max, px, 'binary')) {
          expect(formatRate(v, 2, 'en'), `${max} at ${px}px`).toMatch(/^(0|1|2|4|8|16|32|64|128|256|512|768|\d+(\.(25|5|75))?) (B|KiB|MiB|GiB)\/s$/);
        }
      }
    }
  });

  it('never repeats a label on a tiny byte axis (no "1 B 1 B 0 B")', () => {
    for (const max of [0, 0.3, 1, 2.5]) {
      const top = scaleTop(max);
      const labels = valueTicks(0, top, 160, 'binary').map((v) => formatBytes(v, 2, 'en'));
      expect(new Set(labels).size, `max ${max}`).toBe(labels.length);
    }
  });

  it('keeps ticks far enough apart for their labels at every height', () => {
    for (const px of [40, 100, 200, 500]) {
      const ticks = valueTicks(0, 4 * GiB, px, 'binary', 28);
      expect(ticks.length - 1).toBeLessThanOrEqual(Math.floor(px / 28));
    }
  });

  it('rounds bit-rate ticks in bits while values stay bytes per second', () => {
    const ticks = valueTicks(0, 12_500_000, 160, 'bits'); // 100 Mbit/s
    expect(ticks.map((v) => formatBitRate(v, 2, 'en'))).toEqual(['0 bit/s', '20 Mbit/s', '40 Mbit/s', '60 Mbit/s', '80 Mbit/s', '100 Mbit/s']);
  });

  it('leaves headroom above the data, and a unit scale when there is none', () => {
    expect(scaleTop(90)).toBeCloseTo(99);
    expect(scaleTop(0)).toBe(1);
  });

  it('splits from the first multiple of the step', () => {
    expect(stepSplits(3, 21, 5)).toEqual([5, 10, 15, 20]);
    expect(pickStep(0, 0, 100, 28, DECIMAL_INCRS)).toBe(DECIMAL_INCRS[0]);
  });
});

describe('time ticks', () => {
  // A generous estimate of the 11 px axis font: 7 px per character.
  const width = (locale: string) => (kind: TimeLabelKind) => formatTimeTick(Date.UTC(2026, 11, 28, 23, 58, 58), kind, 'utc', locale).length * 7;
  const RANGES = [5 * 60, 3600, 24 * 3600, 7 * 86_400, 30 * 86_400];

  it('never lets labels overlap, at any width, in either language', () => {
    const from = Date.UTC(2026, 10, 26, 9, 44, 30) / 1000;
    for (const locale of ['en', 'ko']) {
      for (const span of RANGES) {
        for (let px = 160; px <= 2000; px += 37) {
          const { step, splits } = timeTicks(from, from + span, px, width(locale));
          const gapPx = (step / span) * px;
          const kind = labelKind(step, span);
          expect(gapPx, `${locale} ${span}s at ${px}px`).toBeGreaterThanOrEqual(width(locale)(kind) + 12);
          expect(splits.length).toBeGreaterThan(0);
          const labels = splits.map((s) => formatTimeTick(s * 1000, kind, 'utc', locale));
          expect(new Set(labels).size, `${locale} ${span}s at ${px}px: ${labels}`).toBe(labels.length);
        }
      }
    }
  });

  it('lands on round times: whole minutes, hours, midnights in the chosen zone', () => {
    const from = Date.UTC(2026, 10, 26, 9, 44, 31) / 1000;
    const hour = timeTicks(from, from + 24 * 3600, 400, width('en'));
    expect(hour.splits.every((s) => s % hour.step === 0)).toBe(true);
    // Seoul is nine hours east: a day step starts at Seoul's midnight, 15:00 UTC.
    const week = timeTicks(from, from + 7 * 86_400, 300, width('en'), 9 * 60);
    expect(week.step).toBeGreaterThanOrEqual(86_400);
    expect(week.splits.every((s) => (s + 9 * 3600) % 86_400 === 0)).toBe(true);
  });

  it('shows seconds only under a minute and dates from a day', () => {
    expect(labelKind(30)).toBe('second');
    expect(labelKind(300)).toBe('minute');
    expect(labelKind(86_400)).toBe('day');
    expect(labelKind(6 * 3600, 7 * 86_400)).toBe('dayMinute');
  });
});
