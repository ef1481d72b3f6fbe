import { formatDuration } from './format';
import { getLocale, t } from './i18n';

/** Below this the offset is noise worth no one's attention (the hub itself ignores ±250 ms). */
export const CLOCK_NOTE_MS = 1_000;
/** From here a skewed clock is worth fixing on the agent's host: shown in the warning colour. */
export const CLOCK_WARN_MS = 60_000;

export interface ClockNote {
  text: string;
  warn: boolean;
}

/**
 * What the server page says about an agent's clock offset (agent minus hub, ms; positive = agent ahead):
 * "Clock 1h ahead of the hub — stored at hub time", or null when it is unknown or under a second.
 */
export function clockOffsetNote(offsetMs: number | null | undefined, locale: string = getLocale()): ClockNote | null {
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) return null;
  const abs = Math.abs(offsetMs);
  if (abs < CLOCK_NOTE_MS) return null;
  const amount = formatDuration(Math.round(abs / 1000), locale);
  return {
    text: t(offsetMs > 0 ? 'server.clock.ahead' : 'server.clock.behind', { amount }),
    warn: abs >= CLOCK_WARN_MS,
  };
}
