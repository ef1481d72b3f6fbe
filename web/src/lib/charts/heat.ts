import type uPlot from 'uplot';
import { cssVar, withAlpha } from './theme';

// A heat strip: one row per series (per-core CPU %), time along x, each cell shaded by its value. It is drawn on a
// normal uPlot chart, so the shared cursor, click-to-pick and drag-to-zoom behave as on every other chart.

/** Shades below the hot one; a value of 90 % or more is drawn in the "bad" colour, as the live core bars do. */
export const HEAT_SHADES = 9;
export const HOT_PERCENT = 90;
const NONE = 255;

/** The shade of a percent value: 0…HEAT_SHADES-1 in steps of 10 %, HEAT_SHADES for hot, NONE for no value. */
export function heatShade(v: number | null | undefined): number {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (v >= HOT_PERCENT) return HEAT_SHADES;
  return Math.max(0, Math.min(HEAT_SHADES - 1, Math.floor(v / 10)));
}

/** Opacity of the primary colour for a shade: faint at idle so every row stays visible, strong near 90 %. */
export function shadeAlpha(shade: number): number {
  return 0.1 + (0.85 * shade) / (HEAT_SHADES - 1);
}

/** The usual spacing of x values (median of the gaps), so a hole in the data stays a hole instead of a wide cell. */
export function typicalStep(xs: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[i - 1]) gaps.push(xs[i] - xs[i - 1]);
  if (!gaps.length) return 1;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}

/** Where each cell of a column ends on x: at the next value, or one typical step on when the next is further. */
export function cellEnds(xs: ArrayLike<number>, step = typicalStep(xs)): number[] {
  const out = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const next = i + 1 < xs.length ? xs[i + 1] : Infinity;
    out[i] = Math.min(next, xs[i] + step);
  }
  return out;
}

/** The row (0 = top) under a cursor `top` CSS px into a plot `height` px tall with `rows` rows; -1 outside. */
export function rowAt(top: number | null | undefined, height: number, rows: number): number {
  if (top === null || top === undefined || top < 0 || rows <= 0 || height <= 0) return -1;
  return Math.min(rows - 1, Math.floor((top / height) * rows));
}

export interface HeatOptions {
  /** Row labels for the y axis, top first (core numbers). */
  labels: readonly string[];
  /** What the readout under the chart says for a row at a data index (null when the cursor is away). */
  describe: (row: number, idx: number) => string;
  /** Called with the readout text as the cursor moves. */
  onreadout: (text: string) => void;
}

/**
 * Turns a chart whose series are the rows into a heat strip: series draw no lines, the y scale holds one unit per
 * row (row 0 at the top), and cells are painted after each redraw, grouped by shade to keep canvas state changes few.
 */
export function heatStrip(opts: HeatOptions): uPlot.Plugin {
  const rows = opts.labels.length;
  return {
    opts: (_u, o) => {
      o.legend = { ...o.legend, show: false };
      o.cursor = { ...o.cursor, points: { show: false } };
      o.scales = { ...o.scales, y: { auto: false, range: () => [0, rows] } };
      const [xAxis, yAxis] = o.axes ?? [];
      o.axes = [
        xAxis,
        {
          ...yAxis,
          grid: { show: false },
          // Row centres, thinned so labels stay at least 14 px apart.
          splits: (u) => {
            const rowPx = u.bbox.height / devicePixelRatio / rows;
            const every = Math.max(1, Math.ceil(14 / Math.max(rowPx, 0.1)));
            const out: number[] = [];
            for (let r = 0; r < rows; r += every) out.push(rows - r - 0.5);
            return out;
          },
          values: (_u, splits) => splits.map((v) => opts.labels[rows - 1 - Math.floor(v)] ?? ''),
        },
      ];
      o.series = o.series.map((s, i) => (i === 0 ? s : { ...s, paths: () => null, points: { show: false } }));
      return o;
    },
    hooks: {
      draw: [(u) => paint(u, rows)],
      setCursor: [
        (u) => {
          const idx = u.cursor.idx;
          const row = rowAt(u.cursor.top, u.over.clientHeight, rows);
          opts.onreadout(idx === null || idx === undefined || row < 0 ? '' : opts.describe(row, idx));
        },
      ],
    },
  };
}

function paint(u: uPlot, rows: number): void {
  const xs = u.data[0];
  const n = xs.length;
  if (!n || !rows) return;
  const shades = new Uint8Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const col = u.data[r + 1] ?? [];
    for (let i = 0; i < n; i++) shades[r * n + i] = heatShade(col[i]);
  }
  const ends = cellEnds(xs);
  const left = new Float64Array(n);
  const right = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = u.valToPos(xs[i], 'x', true);
    right[i] = u.valToPos(ends[i], 'x', true);
  }
  const { ctx } = u;
  const { top, height, left: bl, width } = u.bbox;
  const rowH = height / rows;
  const primary = cssVar('--md-primary');
  ctx.save();
  ctx.beginPath();
  ctx.rect(bl, top, width, height);
  ctx.clip();
  for (let shade = 0; shade <= HEAT_SHADES; shade++) {
    ctx.fillStyle = shade === HEAT_SHADES ? cssVar('--flick-bad') : withAlpha(primary, shadeAlpha(shade));
    for (let r = 0; r < rows; r++) {
      // A hair of space between rows keeps them apart when there are few; none when rows are thin.
      const y0 = top + r * rowH;
      const h = rowH > 6 ? rowH - 1 : rowH;
      for (let i = 0; i < n; i++) {
        if (shades[r * n + i] !== shade) continue;
        // Widen to whole device pixels so neighbouring cells leave no seams.
        const x0 = Math.floor(left[i]);
        ctx.fillRect(x0, y0, Math.max(1, Math.ceil(right[i]) - x0), h);
      }
    }
  }
  ctx.restore();
}
