import { formatLoad, formatPercent, formatRate } from '../../lib/format';

/** A metric's value with its unit, as the hub's notifications write it. */
export function formatValue(metric: string, v: number | undefined): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '–';
  if (metric.endsWith('.usage')) return formatPercent(v);
  if (metric.startsWith('cpu.load')) return formatLoad(v);
  if (metric === 'server.offline') return `${Math.round(v)} s`;
  return formatRate(v);
}
