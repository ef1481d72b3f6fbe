// 10 live charts updated at 1 Hz, each update timed with the Performance API. Driven by bench/web-charts.sh;
// results land in window.__bench. Query: ?updates=60&points=300&charts=10
import { flushSync, mount } from 'svelte';
import type uPlot from 'uplot';
import 'virtual:flick-theme.css';
import '../src/app.css';
import Bench from './Bench.svelte';

const q = new URLSearchParams(location.search);
const UPDATES = Number(q.get('updates') ?? 60);
const POINTS = Number(q.get('points') ?? 300);
const CHARTS = Number(q.get('charts') ?? 10);

type Win = { x: number[]; y: number[] };
const start = Math.floor(Date.now() / 1000) - POINTS;
const windows: Win[] = Array.from({ length: CHARTS }, (_, c) => ({
  x: Array.from({ length: POINTS }, (_, i) => start + i),
  y: Array.from({ length: POINTS }, (_, i) => 50 + 40 * Math.sin((i + c * 7) / 9)),
}));

// As the server page does: a new array per column each update (toChartData), the window sliding by one point.
const snapshot = (): uPlot.AlignedData[] => windows.map((w) => [w.x.slice(), w.y.slice()] as uPlot.AlignedData);

// Raw state, as the server page keeps its chart data: uPlot reads plain arrays, not deep proxies.
let data = $state.raw(snapshot());
mount(Bench, {
  target: document.getElementById('app')!,
  props: {
    get data() {
      return data;
    },
  },
});

const durations: number[] = [];
/** The part before uPlot's commit: building the arrays, Svelte's effects, setData's own bookkeeping. */
const syncParts: number[] = [];
const afterMicrotasks = () => new Promise<void>((r) => queueMicrotask(() => queueMicrotask(r)));

/** Whether the JS heap shrank during an update: a garbage collection ran inside it (Chromium's performance.memory). */
const gcIn: boolean[] = [];
const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

async function update(n: number) {
  (window as unknown as { __update?: number }).__update = n;
  const heapBefore = heap();
  performance.mark(`u${n}-start`);
  for (const w of windows) {
    const last = w.x[w.x.length - 1];
    w.x.shift();
    w.y.shift();
    w.x.push(last + 1);
    w.y.push(Math.max(0, Math.min(100, w.y[w.y.length - 1] + (Math.random() - 0.5) * 20)));
  }
  data = snapshot();
  flushSync(); // Svelte effects: each chart's setData
  performance.mark(`u${n}-sync`);
  await afterMicrotasks(); // uPlot commits (scales, paths, canvas draw) in a microtask
  performance.mark(`u${n}-end`);
  syncParts.push(performance.measure(`sync ${n}`, `u${n}-start`, `u${n}-sync`).duration);
  durations.push(performance.measure(`update ${n}`, `u${n}-start`, `u${n}-end`).duration);
  gcIn.push(heap() < heapBefore);
}

const w = window as unknown as { __bench?: unknown };
let n = 0;
// Two warm-up updates (JIT, first layout) are not counted.
const timer = setInterval(async () => {
  await update(n++);
  if (n === 2) durations.length = syncParts.length = gcIn.length = 0;
  if (n >= UPDATES + 2) {
    clearInterval(timer);
    const sorted = [...durations].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const syncSorted = [...syncParts].sort((a, b) => a - b);
    w.__bench = {
      charts: CHARTS,
      points: POINTS,
      updates: sorted.length,
      medianMs: at(0.5),
      p95Ms: at(0.95),
      maxMs: sorted[sorted.length - 1],
      syncMedianMs: syncSorted[Math.floor(syncSorted.length / 2)],
      durations,
      gcIn,
    };
  }
}, 1000);
