import type { RetentionSettings } from '../../lib/api/logs';

export type RetentionField = keyof RetentionSettings;
export const RETENTION_FIELDS: readonly RetentionField[] = ['raw', 'minute', 'hour', 'logs', 'events'];

export type DurationUnit = 'hours' | 'days';

/** A retention period as the form shows it: a number and a unit. */
export interface FriendlyDuration {
  amount: number | null;
  unit: DurationUnit;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Milliseconds of an ISO-8601 duration as java.time.Duration writes and reads them ("P30D", "PT12H", "P1DT6H",
 * "PT1H30M", "PT0.5S"); null for anything else (years, months and weeks have no fixed length there).
 */
export function isoToMs(iso: string): number | null {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === 'P' || /T$/i.test(iso.trim())) return null;
  const [d, h, min, s] = m.slice(1).map((v) => (v ? Number(v) : 0));
  return Math.round(d * DAY + h * HOUR + min * 60_000 + s * 1000);
}

/** Whole days when it divides evenly, else hours (fractional when it must be). */
export function fromIso(iso: string): FriendlyDuration {
  const ms = isoToMs(iso);
  if (ms === null) return { amount: null, unit: 'days' };
  if (ms % DAY === 0) return { amount: ms / DAY, unit: 'days' };
  return { amount: Math.round((ms / HOUR) * 1000) / 1000, unit: 'hours' };
}

/** The ISO-8601 form the hub reads, in whole minutes; null when the amount is not a number above zero. */
export function toIso(d: FriendlyDuration): string | null {
  if (d.amount === null || !Number.isFinite(d.amount) || d.amount <= 0) return null;
  const minutes = Math.round(d.amount * (d.unit === 'days' ? 1440 : 60));
  if (minutes <= 0) return null;
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

/** A duration for people, in the current language's words: "31 days", "12 hours", "90분". */
export function describeDuration(ms: number, locale: string): string {
  const unit = ms % DAY === 0 ? 'day' : ms % HOUR === 0 ? 'hour' : 'minute';
  const n = ms / (unit === 'day' ? DAY : unit === 'hour' ? HOUR : 60_000);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 2 }).format(n);
}

/** The hub's messages name limits as ISO durations ("must be between PT1H and PT744H"): say them in words. */
export function friendlyDurations(message: string, locale: string): string {
  return message.replace(/\bP(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?\b/g, (iso) => {
    const ms = isoToMs(iso);
    return ms === null || ms === 0 ? iso : describeDuration(ms, locale);
  });
}
