import type { Silence } from './api/silences';
import { formatMomentToMinute } from './format';

/** The silence covering a server now that ends last (a server-wide, or a hub-wide one); rule-only silences do not mute a card. */
export function activeSilenceFor(serverId: string, silences: readonly Silence[], now: number): Silence | undefined {
  let best: Silence | undefined;
  for (const s of silences) {
    if (s.ruleId || now < s.startsAt || now >= s.endsAt) continue;
    if (s.serverId && s.serverId !== serverId) continue;
    if (!best || s.endsAt > best.endsAt) best = s;
  }
  return best;
}

/** The time in the chip: "10:42" today, "Nov 26, 10:42" later. */
export function silenceUntilText(s: Silence, now: number, locale?: string): string {
  return formatMomentToMinute(s.endsAt, now, locale);
}

/** Whether a silence is running, still to come, or over at now. */
export function silencePhase(s: Silence, now: number): 'upcoming' | 'active' | 'over' {
  if (now < s.startsAt) return 'upcoming';
  return now < s.endsAt ? 'active' : 'over';
}
