// Material 3 colour roles from one seed colour, generated at build time with material-color-utilities so no colour
// maths ships to the browser. The output is plain CSS custom properties (see themeCss).
import {
  argbFromHex,
  Hct,
  hexFromArgb,
  MaterialDynamicColors as C,
  SchemeTonalSpot,
  TonalPalette,
  type DynamicColor,
} from '@material/material-color-utilities';

export const SEED = '#1a73e8';

/** CSS name (after "--md-") → dynamic colour. The short names are what the app's components use. */
const ROLES: Record<string, DynamicColor> = {
  primary: C.primary,
  'on-primary': C.onPrimary,
  'primary-container': C.primaryContainer,
  'on-primary-container': C.onPrimaryContainer,
  secondary: C.secondary,
  'on-secondary': C.onSecondary,
  'secondary-container': C.secondaryContainer,
  'on-secondary-container': C.onSecondaryContainer,
  tertiary: C.tertiary,
  'on-tertiary': C.onTertiary,
  'tertiary-container': C.tertiaryContainer,
  'on-tertiary-container': C.onTertiaryContainer,
  error: C.error,
  'on-error': C.onError,
  'error-container': C.errorContainer,
  'on-error-container': C.onErrorContainer,
  background: C.background,
  'on-background': C.onBackground,
  surface: C.surface,
  'surface-dim': C.surfaceDim,
  'surface-bright': C.surfaceBright,
  'on-surface': C.onSurface,
  'surface-variant': C.surfaceVariant,
  'on-surface-variant': C.onSurfaceVariant,
  'surface-container-lowest': C.surfaceContainerLowest,
  'surface-container-low': C.surfaceContainerLow,
  'surface-container': C.surfaceContainer,
  'surface-container-high': C.surfaceContainerHigh,
  'surface-container-highest': C.surfaceContainerHighest,
  'surface-tint': C.surfaceTint,
  outline: C.outline,
  'outline-variant': C.outlineVariant,
  'inverse-surface': C.inverseSurface,
  'inverse-on-surface': C.inverseOnSurface,
  'inverse-primary': C.inversePrimary,
  shadow: C.shadow,
  scrim: C.scrim,
};

/**
 * Status and chart colours are not M3 roles: they come from fixed hues (so "ok" stays green whatever the seed),
 * at tones chosen for contrast on the surfaces (tone 40 on light, 80 on dark; checked by theme.test.ts).
 */
const EXTRA_HUES: Record<string, string> = {
  ok: '#1b873f',
  warn: '#b26a00',
  chart2: '#e8710a',
  chart3: '#12a4af',
  // Further line colours for charts with one line per part (cores, mounts): purple, magenta, green.
  chart4: '#9334e6',
  chart5: '#d01884',
  chart6: '#188038',
};

export type Scheme = Record<string, string>;

function extras(dark: boolean): Scheme {
  const tone = (hex: string, light: number, darkTone: number) => {
    const hct = Hct.fromInt(argbFromHex(hex));
    return hexFromArgb(TonalPalette.fromHueAndChroma(hct.hue, Math.max(hct.chroma, 48)).tone(dark ? darkTone : light));
  };
  return {
    'flick-ok': tone(EXTRA_HUES.ok, 40, 80),
    'flick-ok-container': tone(EXTRA_HUES.ok, 90, 30),
    'flick-on-ok-container': tone(EXTRA_HUES.ok, 10, 90),
    'flick-warn': tone(EXTRA_HUES.warn, 40, 80),
    'flick-warn-container': tone(EXTRA_HUES.warn, 90, 30),
    'flick-on-warn-container': tone(EXTRA_HUES.warn, 10, 90),
    'flick-chart-2': tone(EXTRA_HUES.chart2, 50, 75),
    'flick-chart-3': tone(EXTRA_HUES.chart3, 45, 75),
    'flick-chart-4': tone(EXTRA_HUES.chart4, 45, 75),
    'flick-chart-5': tone(EXTRA_HUES.chart5, 45, 75),
    'flick-chart-6': tone(EXTRA_HUES.chart6, 45, 75),
  };
}

/** Every colour role of the light or dark scheme for the seed, as "#rrggbb" keyed by CSS name (without "--"). */
export function scheme(seed: string, dark: boolean): Scheme {
  const s = new SchemeTonalSpot(Hct.fromInt(argbFromHex(seed)), dark, 0);
  const out: Scheme = {};
  for (const [name, color] of Object.entries(ROLES)) out[`md-${name}`] = hexFromArgb(color.getArgb(s));
  return { ...out, ...extras(dark) };
}

const block = (sel: string, vars: Scheme, mode: 'light' | 'dark') =>
  `${sel} {\n  color-scheme: ${mode};\n${Object.entries(vars)
    .map(([k, v]) => `  --${k}: ${v};`)
    .join('\n')}\n}\n`;

/** Alert severities (API.md: info, warning, critical) on the same contrast-checked colours. */
const SEVERITY = [
  '  --flick-severity-info: var(--md-primary);',
  '  --flick-severity-warning: var(--flick-warn);',
  '  --flick-severity-warning-container: var(--flick-warn-container);',
  '  --flick-on-severity-warning-container: var(--flick-on-warn-container);',
  '  --flick-severity-critical: var(--md-error);',
  '  --flick-severity-critical-container: var(--md-error-container);',
  '  --flick-on-severity-critical-container: var(--md-on-error-container);',
].join('\n');

/**
 * The stylesheet: light by default, dark when the system prefers it unless the user chose light
 * (html[data-theme]), dark when the user chose dark. @material/web reads --md-sys-color-*, mapped onto the same values.
 */
export function themeCss(seed = SEED): string {
  const light = scheme(seed, false);
  const dark = scheme(seed, true);
  const sys = Object.keys(ROLES)
    .map((name) => `  --md-sys-color-${name}: var(--md-${name});`)
    .join('\n');
  return [
    `/* Generated from seed ${seed} by tooling/theme.ts (material-color-utilities, tonal spot). */`,
    block(':root', light, 'light'),
    `@media (prefers-color-scheme: dark) {\n${block(':root:not([data-theme="light"])', dark, 'dark')}}`,
    block(':root[data-theme="dark"]', dark, 'dark'),
    `:root {\n${sys}\n  --flick-bad: var(--md-error);\n  --flick-chart-1: var(--md-primary);\n${SEVERITY}\n}\n`,
  ].join('\n');
}

/** WCAG 2 contrast ratio of two "#rrggbb" colours. */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
