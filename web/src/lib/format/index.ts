// Display formatters, formatted for the current language through Intl (pass a locale to override).
// Bytes use binary units (as free/df -h do); rates are per second.
import { getLocale } from '../i18n';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
export const DASH = '–';

const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const numberFormats = new Map<string, Intl.NumberFormat>();
/** Up to `digits` decimals, trailing zeros trimmed (12.50 → "12.5"), in the locale's digits and separators. */
function decimal(v: number, digits: number, locale: string, grouping = false): string {
  const key = `${locale}|${digits}|${grouping}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, useGrouping: grouping });
    numberFormats.set(key, f);
  }
  return f.format(v);
}

/** A plain count or value with the locale's grouping: 12,345. */
export function formatNumber(value: number | null | undefined, digits = 0, locale: string = getLocale()): string {
  return ok(value) ? decimal(value, digits, locale, true) : DASH;
}

export function formatBytes(bytes: number | null | undefined, digits = 1, locale: string = getLocale()): string {
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
  return `${decimal(i === 0 ? Math.round(v) : v, i === 0 ? 0 : digits, locale)} ${BYTE_UNITS[i]}`;
}

export function formatRate(bytesPerSecond: number | null | undefined, digits = 1, locale: string = getLocale()): string {
  const b = formatBytes(bytesPerSecond, digits, locale);
  return b === DASH ? DASH : `${b}/s`;
}

/** "used / total" in bytes. */
export function formatUsage(used: number | null | undefined, total: number | null | undefined, locale: string = getLocale()): string {
  return `${formatBytes(used, 1, locale)} / ${formatBytes(total, 1, locale)}`;
}

/** Percent values 0–100 (process CPU may exceed 100). */
export function formatPercent(value: number | null | undefined, digits = 1, locale: string = getLocale()): string {
  if (!ok(value)) return DASH;
  return `${decimal(value, digits, locale)}%`;
}

/** used/total as a percentage, 0 when total is 0. */
export function percentOf(used: number | null | undefined, total: number | null | undefined): number {
  if (!ok(used) || !ok(total) || total <= 0) return 0;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

const unitFormats = new Map<string, Intl.NumberFormat>();
function unit(n: number, u: 'day' | 'hour' | 'minute' | 'second', locale: string): string {
  const key = `${locale}|${u}`;
  let f = unitFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow' });
    unitFormats.set(key, f);
  }
  return f.format(n);
}

/** A length of time in seconds, to two units: "45s", "5m 12s", "3h 4m", "2d 5h" (Korean: "2일 5시간"). */
export function formatDuration(seconds: number | null | undefined, locale: string = getLocale()): string {
  if (!ok(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const two = (a: string, b: number, bu: 'hour' | 'minute' | 'second') => (b ? `${a} ${unit(b, bu, locale)}` : a);
  if (d) return two(unit(d, 'day', locale), h, 'hour');
  if (h) return two(unit(h, 'hour', locale), m, 'minute');
  if (m) return two(unit(m, 'minute', locale), sec, 'second');
  return unit(sec, 'second', locale);
}

const millisFormats = new Map<string, Intl.NumberFormat>();
/** A short latency in milliseconds: "12 ms", "1,234 ms"; a fraction of one ms keeps one decimal. */
export function formatMillis(ms: number | null | undefined, locale: string = getLocale()): string {
  if (!ok(ms) || ms < 0) return DASH;
  const digits = ms < 10 ? 1 : 0;
  const key = `${locale}|${digits}`;
  let f = millisFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: digits });
    millisFormats.set(key, f);
  }
  return f.format(ms);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, kind: 'clock' | 'dateTime' | 'date' | 'minute' | 'dateMinute' | 'yearMinute'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const minute = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const time = { ...minute, second: '2-digit' } as const;
    const options: Intl.DateTimeFormatOptions =
      kind === 'clock'
        ? time
        : kind === 'dateTime'
          ? { month: 'short', day: 'numeric', ...time }
          : kind === 'minute'
            ? minute
            : kind === 'dateMinute'
              ? { month: 'short', day: 'numeric', ...minute }
              : kind === 'yearMinute'
                ? { year: 'numeric', month: 'short', day: 'numeric', ...minute }
                : { year: 'numeric', month: 'short', day: 'numeric' };
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

/** Local wall-clock time, 24-hour: "03:12:07". */
export function formatClock(ts: number, locale: string = getLocale()): string {
  return dateFormat(locale, 'clock').format(ts);
}

/** Date and time for a moment that may not be today: "Nov 26, 03:12:07" / "11월 26일 03:12:07". */
export function formatDateTime(ts: number, locale: string = getLocale()): string {
  return dateFormat(locale, 'dateTime').format(ts);
}

/** Clock time when ts is today, else date and time. */
export function formatMoment(ts: number, now = Date.now(), locale: string = getLocale()): string {
  return sameDay(ts, now) ? formatClock(ts, locale) : formatDateTime(ts, locale);
}

function sameDay(ts: number, now: number): boolean {
  const a = new Date(ts);
  const b = new Date(now);
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** formatMoment to the minute, for a sentence ("since 10:42", "since Nov 26, 10:42"). */
export function formatMomentToMinute(ts: number, now = Date.now(), locale: string = getLocale()): string {
  return dateFormat(locale, sameDay(ts, now) ? 'minute' : 'dateMinute').format(ts);
}

/** A date that may lie years back, to the minute: "Nov 26, 2025, 10:42" / "2025년 11월 26일 10:42". */
export function formatDateYearMinute(ts: number, locale: string = getLocale()): string {
  return dateFormat(locale, 'yearMinute').format(ts);
}

/** "from – to" for a time range. */
export function formatRange(from: number, to: number, locale: string = getLocale()): string {
  return `${formatDateTime(from, locale)} – ${formatDateTime(to, locale)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Value for <input type="datetime-local" step="1"> in local time (a machine format, the same in every language). */
export function toDatetimeLocal(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatLoad(v: number | null | undefined, locale: string = getLocale()): string {
  return ok(v) ? new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v) : DASH;
}

/** Which clock charts read: the browser's zone or UTC (a preference, lib/prefs/timezone). */
export type TimeZoneChoice = 'browser' | 'utc';
const zoneOf = (zone: TimeZoneChoice) => (zone === 'utc' ? 'UTC' : undefined);

/** What a chart's time tick shows (charts/axes.ts picks it from the step and span). */
export type TickKind = 'second' | 'minute' | 'dayMinute' | 'day';
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(locale: string, zone: TimeZoneChoice, kind: TickKind | 'full'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${kind}`;
  let f = zoneFormats.get(key);
  if (!f) {
    const minute = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const options: Intl.DateTimeFormatOptions =
      kind === 'second'
        ? { ...minute, second: '2-digit' }
        : kind === 'minute'
          ? minute
          : kind === 'day'
            ? { month: 'short', day: 'numeric' }
            : kind === 'dayMinute'
              ? { month: 'short', day: 'numeric', ...minute }
            : { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short', ...minute, second: '2-digit' };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zoneOf(zone) });
    zoneFormats.set(key, f);
  }
  return f;
}

/** A chart's time tick: "09:44:30", "09:44", "Nov 26, 09:44" or "Nov 26" / "11월 26일", 24-hour, in the chosen zone. */
export function formatTimeTick(ts: number, kind: TickKind, zone: TimeZoneChoice = 'browser', locale: string = getLocale()): string {
  // Charts ask for the same few labels on every update (the axis slides a second, its ticks stay): Intl's format
  // costs microseconds each and allocates, a lookup does not (docs/PERFORMANCE.md "Web client").
  const key = `${locale}|${zone}|${kind}`;
  let labels = tickLabels.get(key);
  if (!labels) tickLabels.set(key, (labels = new Map()));
  let label = labels.get(ts);
  if (label === undefined) {
    if (labels.size >= TICK_LABELS_KEPT) labels.clear();
    label = zoneFormat(locale, zone, kind).format(ts);
    labels.set(ts, label);
  }
  return label;
}

const TICK_LABELS_KEPT = 4096;
const tickLabels = new Map<string, Map<number, string>>();

/** A chart's cursor moment, full and 24-hour with seconds: "Thu, Nov 26, 2026, 09:44:30" / "2026년 11월 26일 (목) 09:44:30". */
export function formatChartMoment(ts: number, zone: TimeZoneChoice = 'browser', locale: string = getLocale()): string {
  return zoneFormat(locale, zone, 'full').format(ts);
}

/** Minutes the zone is east of UTC at ts (for aligning ticks to its round hours and midnights). */
export function zoneOffsetMinutes(ts: number, zone: TimeZoneChoice = 'browser'): number {
  return zone === 'utc' ? 0 : -new Date(ts).getTimezoneOffset();
}

/** The zone's short name for an axis caption: "UTC", "GMT+9" / the browser's own. */
export function zoneName(zone: TimeZoneChoice = 'browser', locale: string = getLocale(), ts = Date.now()): string {
  if (zone === 'utc') return 'UTC';
  const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(ts).find((p) => p.type === 'timeZoneName');
  return part?.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s', 'Pbit/s'];
/** A byte rate shown in bits, decimal units as links are sold: 1,250,000 B/s → "10 Mbit/s". */
export function formatBitRate(bytesPerSecond: number | null | undefined, digits = 1, locale: string = getLocale()): string {
  if (!ok(bytesPerSecond) || bytesPerSecond < 0) return DASH;
  let v = bytesPerSecond * 8;
  let i = 0;
  while (v >= 1000 && i < BIT_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  if (Number(v.toFixed(digits)) >= 1000 && i < BIT_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${decimal(v, digits, locale)} ${BIT_UNITS[i]}`;
}
