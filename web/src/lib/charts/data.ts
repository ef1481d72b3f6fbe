import type uPlot from 'uplot';
import type { MetricPoint, MountUsage } from '../api/types';

export interface SeriesSpec {
  label: string;
  /** A CSS custom property holding the colour, e.g. "--md-primary". */
  color: string;
  fill?: boolean;
  dash?: number[];
  /** The legend's text for this series at data index idx; the chart's format of the value when absent. */
  value?: (v: number | null, idx: number | null) => string;
}

/** Line colours for charts with one line per part (core, mount), in order; past the end they repeat dashed. */
export const PALETTE = ['--flick-chart-1', '--flick-chart-2', '--flick-chart-3', '--flick-chart-4', '--flick-chart-5', '--flick-chart-6'];

/** Colour and dash of the i-th line of a keyed family. */
export function paletteAt(i: number): { color: string; dash?: number[] } {
  const color = PALETTE[i % PALETTE.length];
  return i < PALETTE.length ? { color } : { color, dash: [4, 3] };
}

/** Which point fields a chart of totals plots. */
export type ChartKind = 'cpu' | 'memory' | 'disk' | 'network' | 'load';

export const CHART_FIELDS: Record<ChartKind, (keyof MetricPoint)[]> = {
  cpu: ['cpu'],
  memory: ['memUsed', 'swapUsed'],
  disk: ['diskReadBps', 'diskWriteBps'],
  network: ['netRxBps', 'netTxBps'],
  load: ['load1', 'load5', 'load15'],
};

/**
 * A family of series keyed by part (core number, mount, device, interface), aligned to the chart set's x column.
 * A key missing from some points (a disk mounted later, an interface gone) has null there: a gap, never a shift.
 */
export interface KeyedColumns {
  /** Every key seen in any point, in natural order ("sda" before "sdb", core 2 before core 10). */
  keys: string[];
  /** Per key, one column per field of the family, each as long as x. */
  columns: Map<string, (number | null)[][]>;
}

export interface ChartSet extends Record<ChartKind, uPlot.AlignedData> {
  /** Seconds, shared by every chart of the set. */
  x: number[];
  /** Fields: [percent]. */
  cores: KeyedColumns;
  /** Fields: [percent used, used bytes, total bytes]. */
  mounts: KeyedColumns;
  /** Fields: [read B/s, write B/s]. */
  devices: KeyedColumns;
  /** Fields: [rx B/s, tx B/s]. */
  interfaces: KeyedColumns;
  /** Fields: [CPU % of one core, memory bytes]. */
  containers: KeyedColumns;
  /** Fields: [°C]. */
  temperatures: KeyedColumns;
  /** Fields: [RPM]. */
  fans: KeyedColumns;
  /** Fields: [utilisation %, °C, memory % used]. */
  gpus: KeyedColumns;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

type Family<V> = Readonly<Record<string, V>> | readonly V[] | undefined;

/**
 * Columns for a keyed family: `family` reads the part values of a point (a record by name, or an array by index),
 * `fields` turns one part value into each plotted number.
 */
export function keyedColumns<V>(
  points: readonly MetricPoint[],
  family: (p: MetricPoint) => Family<V>,
  fields: readonly ((v: V) => number | null | undefined)[],
): KeyedColumns {
  const n = points.length;
  const columns = new Map<string, (number | null)[][]>();
  const put = (key: string, i: number, v: V) => {
    let cols = columns.get(key);
    if (!cols) columns.set(key, (cols = fields.map(() => new Array<number | null>(n).fill(null))));
    if (v === null || v === undefined) return;
    for (let f = 0; f < fields.length; f++) cols[f][i] = finite(fields[f](v));
  };
  for (let i = 0; i < n; i++) {
    const fam = family(points[i]);
    if (!fam) continue;
    if (Array.isArray(fam)) {
      for (let j = 0; j < fam.length; j++) put(String(j), i, fam[j]);
    } else {
      const rec = fam as Readonly<Record<string, V>>;
      for (const key of Object.keys(rec)) put(key, i, rec[key]);
    }
  }
  return { keys: [...columns.keys()].sort(naturalOrder), columns };
}

const percentUsed = (m: MountUsage) => (m.total > 0 ? (100 * m.used) / m.total : null);

/** The usual spacing of points (ms): the median gap, so a few holes do not skew it; 0 with under two points. */
export function typicalStepMs(points: readonly { ts: number }[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const g = points[i].ts - points[i - 1].ts;
    if (g > 0) gaps.push(g);
  }
  if (!gaps.length) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}

/**
 * The points with an empty one (only ts, every series null) inside each hole longer than two steps, so uPlot
 * (spanGaps off) breaks the line there instead of drawing it straight across an outage. stepMs: the server's
 * interval or the history tier's bucket; the points' own median spacing when absent.
 */
export function withGaps<P extends { ts: number }>(points: readonly P[], stepMs = typicalStepMs(points)): P[] {
  if (!(stepMs > 0) || points.length < 2) return [...points];
  const out: P[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1].ts;
    if (points[i].ts - prev > 2 * stepMs) out.push({ ts: prev + stepMs } as P);
    out.push(points[i]);
  }
  return out;
}

/** Column arrays for uPlot (x in seconds), one set per chart sharing the x column; holes become line breaks. */
export function toChartData(input: readonly MetricPoint[], stepMs?: number): ChartSet {
  const points = withGaps(input, stepMs);
  const n = points.length;
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) x[i] = points[i].ts / 1000;
  const column = (field: keyof MetricPoint) => {
    const col = new Array<number | null>(n);
    for (let i = 0; i < n; i++) col[i] = finite(points[i][field]);
    return col;
  };
  const totals = {} as Record<ChartKind, uPlot.AlignedData>;
  for (const kind of Object.keys(CHART_FIELDS) as ChartKind[]) {
    totals[kind] = [x, ...CHART_FIELDS[kind].map(column)] as uPlot.AlignedData;
  }
  return {
    ...totals,
    x,
    cores: keyedColumns(points, (p) => p.cores, [(v: number) => v]),
    mounts: keyedColumns(points, (p) => p.mounts, [percentUsed, (m) => m.used, (m) => m.total]),
    devices: keyedColumns(points, (p) => p.devices, [(d) => d.readBps, (d) => d.writeBps]),
    interfaces: keyedColumns(points, (p) => p.interfaces, [(d) => d.rxBps, (d) => d.txBps]),
    containers: keyedColumns(points, (p) => p.containers, [(c) => c.cpu, (c) => c.memory]),
    temperatures: keyedColumns(points, (p) => p.temperatures, [(c) => c.value]),
    fans: keyedColumns(points, (p) => p.fans, [(c) => c.rpm]),
    gpus: keyedColumns(points, (p) => p.gpus, [
      (g) => g.utilization,
      (g) => g.temperature,
      (g) => (g.memoryTotal && g.memoryUsed !== undefined ? (100 * g.memoryUsed) / g.memoryTotal : null),
    ]),
  };
}

/**
 * `into` with one field of another family's parts added as keys of their own (each GPU's temperature beside the
 * sensors'), named by `name`; parts of `from` that never have that field are left out.
 */
export function withPartsOf(into: KeyedColumns, from: KeyedColumns, field: number, name: (key: string) => string): KeyedColumns {
  const columns = new Map(into.columns);
  for (const key of from.keys) {
    const col = from.columns.get(key)?.[field];
    if (col?.some((v) => v !== null)) columns.set(name(key), [col]);
  }
  return { keys: [...columns.keys()].sort(naturalOrder), columns };
}

/** uPlot data with one series per key: field `field` of each key in `keys`. */
export function perKey(x: number[], family: KeyedColumns, keys: readonly string[], field = 0): uPlot.AlignedData {
  const empty = () => new Array<number | null>(x.length).fill(null);
  return [x, ...keys.map((k) => family.columns.get(k)?.[field] ?? empty())] as uPlot.AlignedData;
}

/** uPlot data for one key with every field of the family as a series (a device's read and write). */
export function fieldsOf(x: number[], family: KeyedColumns, key: string, fieldCount: number): uPlot.AlignedData {
  const cols = family.columns.get(key);
  const empty = () => new Array<number | null>(x.length).fill(null);
  return [x, ...Array.from({ length: fieldCount }, (_, f) => cols?.[f] ?? empty())] as uPlot.AlignedData;
}

/** Loopback interfaces (Linux "lo", BSD/macOS "lo0", Windows "Loopback Pseudo-Interface 1"). */
export function isLoopback(name: string): boolean {
  return /^lo\d*$/i.test(name) || /^loopback/i.test(name);
}

/** The keys a chip row offers: loopback ones only when asked for, or when there is nothing else. */
export function offeredKeys(keys: readonly string[], showLoopback: boolean): string[] {
  if (showLoopback) return [...keys];
  const rest = keys.filter((k) => !isLoopback(k));
  return rest.length ? rest : [...keys];
}

/** The key with the most traffic (all fields summed over the window), the first on a tie; undefined when none. */
export function busiestKey(family: KeyedColumns, keys: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestSum = -1;
  for (const k of keys) {
    let total = 0;
    for (const col of family.columns.get(k) ?? []) for (const v of col) if (v !== null) total += v;
    if (total > bestSum) {
      best = k;
      bestSum = total;
    }
  }
  return best;
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
