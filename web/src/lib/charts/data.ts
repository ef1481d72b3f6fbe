import type uPlot from 'uplot';
import type { MetricPoint } from '../api/types';

export interface SeriesSpec {
  label: string;
  /** A CSS custom property holding the colour, e.g. "--md-primary". */
  color: string;
  fill?: boolean;
  dash?: number[];
}

/** Which point fields a chart plots. */
export type ChartKind = 'cpu' | 'memory' | 'disk' | 'network';

export const CHART_FIELDS: Record<ChartKind, (keyof MetricPoint)[]> = {
  cpu: ['cpu'],
  memory: ['memUsed', 'swapUsed'],
  disk: ['diskReadBps', 'diskWriteBps'],
  network: ['netRxBps', 'netTxBps'],
};

export type ChartSet = Record<ChartKind, uPlot.AlignedData>;

/** Column arrays for uPlot (x in seconds), one set per chart sharing the x column. */
export function toChartData(points: readonly MetricPoint[]): ChartSet {
  const n = points.length;
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) x[i] = points[i].ts / 1000;
  const column = (field: keyof MetricPoint) => {
    const col = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const v = points[i][field];
      col[i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    return col;
  };
  const set = {} as ChartSet;
  for (const kind of Object.keys(CHART_FIELDS) as ChartKind[]) {
    set[kind] = [x, ...CHART_FIELDS[kind].map(column)] as uPlot.AlignedData;
  }
  return set;
}

/** Largest gap between consecutive x values (seconds) as whole ms. */
export function maxGapMsOfSeconds(xs: ArrayLike<number>): number {
  let gap = 0;
  for (let i = 1; i < xs.length; i++) gap = Math.max(gap, xs[i] - xs[i - 1]);
  return Math.round(gap * 1000);
}

/** Index of the x value nearest to v in a sorted array (-1 when empty). */
export function nearestIndex(xs: ArrayLike<number>, v: number): number {
  const n = xs.length;
  if (!n) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - v) <= Math.abs(xs[lo] - v)) return lo - 1;
  return lo;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local 24-hour tick label for x in seconds; seconds shown only when ticks are under a minute apart. */
export function timeLabel(x: number, tickSpacingSeconds: number): string {
  const d = new Date(x * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return tickSpacingSeconds < 60 ? `${hm}:${pad(d.getSeconds())}` : hm;
}
