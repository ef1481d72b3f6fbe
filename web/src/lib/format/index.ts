// Display formatters. Bytes use binary units (as free/df -h do); rates are per second.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
export const DASH = '–';

const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Trims trailing zeros: 12.50 → "12.5", 100.0 → "100". */
function fixed(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

export function formatBytes(bytes: number | null | undefined, digits = 1): string {
  if (!ok(bytes) || bytes < 0) return DASH;
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  // 1023.96 KiB would print as "1024 KiB": carry into the next unit instead.
  if (Number(v.toFixed(digits)) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : fixed(v, digits)} ${BYTE_UNITS[i]}`;
}

export function formatRate(bytesPerSecond: number | null | undefined, digits = 1): string {
  const b = formatBytes(bytesPerSecond, digits);
  return b === DASH ? DASH : `${b}/s`;
}

/** "used / total" in bytes. */
export function formatUsage(used: number | null | undefined, total: number | null | undefined): string {
  return `${formatBytes(used)} / ${formatBytes(total)}`;
}

/** Percent values 0–100 (process CPU may exceed 100). */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (!ok(value)) return DASH;
  return `${fixed(value, digits)}%`;
}

/** used/total as a percentage, 0 when total is 0. */
export function percentOf(used: number | null | undefined, total: number | null | undefined): number {
  if (!ok(used) || !ok(total) || total <= 0) return 0;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

/** A length of time in seconds, to two units: "45s", "5m 12s", "3h 4m", "2d 5h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!ok(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  if (h) return m ? `${h}h ${m}m` : `${h}h`;
  if (m) return sec ? `${m}m ${sec}s` : `${m}m`;
  return `${sec}s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time "HH:MM:SS". */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Value for <input type="datetime-local" step="1"> in local time. */
export function toDatetimeLocal(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${formatClock(ts)}`;
}

export function formatLoad(v: number | null | undefined): string {
  return ok(v) ? v.toFixed(2) : DASH;
}
