import { describe, expect, it } from 'vitest';
import { cellEnds, HEAT_SHADES, heatShade, rowAt, shadeAlpha, typicalStep } from './heat';

describe('heat strip', () => {
  it('shades in steps of ten percent, hot from 90, nothing for a missing value', () => {
    expect([0, 9.9, 10, 55, 89.9].map(heatShade)).toEqual([0, 0, 1, 5, 8]);
    expect(heatShade(90)).toBe(HEAT_SHADES);
    expect(heatShade(140)).toBe(HEAT_SHADES);
    expect(heatShade(-3)).toBe(0);
    expect([null, undefined, Number.NaN].map(heatShade)).toEqual([255, 255, 255]);
  });

  it('gets darker with each shade and keeps idle rows visible', () => {
    expect(shadeAlpha(0)).toBeGreaterThan(0);
    for (let s = 1; s < HEAT_SHADES; s++) expect(shadeAlpha(s)).toBeGreaterThan(shadeAlpha(s - 1));
    expect(shadeAlpha(HEAT_SHADES - 1)).toBeLessThanOrEqual(1);
  });

  it('ends each cell at the next sample, but a hole in the data stays a hole', () => {
    const xs = [0, 1, 2, 3, 10, 11];
    expect(typicalStep(xs)).toBe(1);
    expect(cellEnds(xs)).toEqual([1, 2, 3, 4, 11, 12]);
    expect(typicalStep([5])).toBe(1);
  });

  it('finds the row under the cursor, top first', () => {
    expect(rowAt(0, 160, 16)).toBe(0);
    expect(rowAt(15.9, 160, 16)).toBe(1);
    expect(rowAt(160, 160, 16)).toBe(15);
    expect(rowAt(-1, 160, 16)).toBe(-1);
    expect(rowAt(null, 160, 16)).toBe(-1);
    expect(rowAt(10, 160, 0)).toBe(-1);
  });
});
