// Axis ticks drawn on uPlot's canvas: round steps in each unit's own system, time labels that never run together.
// Pure functions, so what the chart draws is what the tests check.

/** How a value axis steps: decimal 1/2/5×10ⁿ (percent, load), binary 1/2/4…512×1024ⁿ (bytes), bits 1/2/5×10ⁿ of ×8. */
export type ValueSteps = 'decimal' | 'binary' | 'bits';

/** Decimal steps 1, 2, 5 × 10ⁿ from 10⁻³ to 10¹⁸. */
export const DECIMAL_INCRS: readonly number[] = (() => {
  const out: number[] = [];
  for (let e = -3; e <= 18; e++) for (const m of [1, 2, 5]) out.push(Number((m * 10 ** e).toPrecision(1)));
  return out;
})();

/** Binary steps for bytes: 1, 2, 4 … 512 of each unit (B, KiB, MiB …), so ticks read 512 MiB, 1 GiB. */
export const BINARY_INCRS: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 0; p <= 62; p++) out.push(2 ** p);
  return out;
})();

/** The smallest step from `incrs` that keeps ticks at least `minGapPx` apart on an axis `lengthPx` long. */
export function pickStep(min: number, max: number, lengthPx: number, minGapPx: number, incrs: readonly number[]): number {
  const span = max - min;
  if (!(span > 0) || !(lengthPx > 0)) return incrs[0];
  const maxTicks = Math.max(1, Math.floor(lengthPx / minGapPx));
  for (const incr of incrs) if (span / incr <= maxTicks) return incr;
  return incrs[incrs.length - 1];
}

/** Tick values from the first multiple of `step` at or above min to max. */
export function stepSplits(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let v = first, i = 0; v <= max + step * 1e-9 && i < 1000; i++, v = first + i * step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

/** Ticks for a value axis: round steps of the unit, at least minGapPx apart. Bits: values stay bytes, ticks round in bits. */
export function valueTicks(min: number, max: number, lengthPx: number, steps: ValueSteps, minGapPx = 28): number[] {
  if (steps === 'bits') return valueTicks(min * 8, max * 8, lengthPx, 'decimal', minGapPx).map((v) => v / 8);
  // Bytes below one are not a thing: a byte axis steps at least 1 B.
  const incrs = steps === 'binary' ? BINARY_INCRS : DECIMAL_INCRS;
  return stepSplits(min, max, pickStep(min, max, lengthPx, minGapPx, incrs));
}

/** The top of a value scale: the data's max with a tenth of headroom (ticks stay round below it); 1 when empty. */
export function scaleTop(max: number): number {
  return max > 0 ? max * 1.1 : 1;
}

const S = 1;
const M = 60;
const H = 3600;
const D = 86_400;
/** Time steps in seconds: each lands on a round clock time. */
export const TIME_INCRS: readonly number[] = [
  1, 2, 5, 10, 15, 30, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D,
].map((v) => v * S);

/**
 * What a time label shows at a step over a span: seconds below a minute, the date from a day, and date with time
 * when hours repeat over several days (so "12:00" is never ambiguous).
 */
export type TimeLabelKind = 'second' | 'minute' | 'dayMinute' | 'day';
export const labelKind = (stepSeconds: number, spanSeconds = 0): TimeLabelKind =>
  stepSeconds >= D ? 'day' : spanSeconds > D ? 'dayMinute' : stepSeconds < M ? 'second' : 'minute';

/**
 * Time ticks (seconds) for [from, to] on an axis widthPx wide: the smallest step whose labels, each labelWidth(kind)
 * wide plus a gap, fit between neighbours; aligned to round times in the zone `offsetMinutes` east of UTC.
 */
export function timeTicks(
  from: number,
  to: number,
  widthPx: number,
  labelWidth: (kind: TimeLabelKind) => number,
  offsetMinutes = 0,
  gapPx = 12,
): { step: number; splits: number[] } {
  const span = to - from;
  if (!(span > 0) || !(widthPx > 0)) return { step: TIME_INCRS[0], splits: [] };
  let step = TIME_INCRS[TIME_INCRS.length - 1];
  for (const incr of TIME_INCRS) {
    const px = (incr / span) * widthPx;
    if (px >= labelWidth(labelKind(incr, span)) + gapPx) {
      step = incr;
      break;
    }
  }
  const off = offsetMinutes * 60;
  // Steps of a day or more start at midnight in the zone; weeks and months count days from the first midnight.
  const align = step >= D ? D : step;
  const first = Math.ceil((from + off) / align) * align - off;
  const splits: number[] = [];
  for (let v = first; v <= to && splits.length < 500; v += step) splits.push(v);
  return { step, splits };
}
