import { describe, expect, it } from 'vitest';
import { contrast, scheme, SEED, themeCss } from './theme';

describe('generated theme', () => {
  it('derives the primary role from the seed in both schemes', () => {
    const light = scheme(SEED, false);
    const dark = scheme(SEED, true);
    expect(light['md-primary']).toMatch(/^#[0-9a-f]{6}$/);
    expect(light['md-primary']).not.toBe(dark['md-primary']);
    expect(light['md-surface']).not.toBe(dark['md-surface']);
  });

  it('keeps text and status colours readable on every surface they sit on, light and dark', () => {
    for (const dark of [false, true]) {
      const s = scheme(SEED, dark);
      const surfaces = ['md-surface', 'md-surface-container-low', 'md-surface-container', 'md-surface-container-high'];
      for (const bg of surfaces) {
        for (const fg of ['md-on-surface', 'md-on-surface-variant', 'md-primary', 'md-error', 'flick-ok', 'flick-warn']) {
          expect(contrast(s[fg], s[bg]), `${fg} on ${bg} (${dark ? 'dark' : 'light'})`).toBeGreaterThanOrEqual(4.5);
        }
        for (const line of ['flick-chart-2', 'flick-chart-3', 'flick-chart-4', 'flick-chart-5', 'flick-chart-6', 'md-outline']) {
          expect(contrast(s[line], s[bg]), `${line} on ${bg}`).toBeGreaterThanOrEqual(3);
        }
      }
      for (const pair of [
        ['md-on-primary', 'md-primary'],
        ['md-on-secondary-container', 'md-secondary-container'],
        ['md-on-error-container', 'md-error-container'],
        ['flick-on-ok-container', 'flick-ok-container'],
        ['flick-on-warn-container', 'flick-warn-container'],
      ]) {
        expect(contrast(s[pair[0]], s[pair[1]]), pair.join(' on ')).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('follows the system unless the user picked a scheme, and maps @material/web tokens', () => {
    const css = themeCss();
    expect(css).toContain('@media (prefers-color-scheme: dark)');
    expect(css).toContain(':root:not([data-theme="light"])');
    expect(css).toContain(':root[data-theme="dark"]');
    expect(css).toContain('--md-sys-color-primary: var(--md-primary);');
    expect(css).toContain('--flick-severity-critical: var(--md-error);');
    expect(css).toContain('--flick-severity-warning: var(--flick-warn);');
  });

  it('measures contrast the WCAG way', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#777777')).toBe(1);
  });
});
