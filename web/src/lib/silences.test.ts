import { describe, expect, it } from 'vitest';
import type { Silence } from './api/silences';
import { activeSilenceFor, silencePhase, silenceUntilText } from './silences';

const base = { comment: 'kernel upgrade', createdAt: 0 };
const now = new Date(2025, 10, 26, 10, 0).getTime();
const at = (h: number, m = 0, day = 26) => new Date(2025, 10, day, h, m).getTime();

describe('silence chip', () => {
  const silences: Silence[] = [
    { ...base, id: 'a', serverId: 'web-1', startsAt: at(9), endsAt: at(10, 42) },
    { ...base, id: 'b', serverId: 'web-1', startsAt: at(9), endsAt: at(11, 30) },
    { ...base, id: 'c', serverId: 'web-1', ruleId: 'cpu', startsAt: at(9), endsAt: at(23) },
    { ...base, id: 'd', serverId: 'db-1', startsAt: at(11), endsAt: at(12) },
    { ...base, id: 'e', startsAt: at(9), endsAt: at(10, 5) },
  ];

  it('shows the running server silence that ends last, not a rule-only or a future one', () => {
    expect(activeSilenceFor('web-1', silences, now)?.id).toBe('b');
    expect(activeSilenceFor('db-1', silences, now)?.id).toBe('e'); // the hub-wide one; its own starts at 11:00
    expect(activeSilenceFor('db-1', silences, at(11, 10))?.id).toBe('d');
    expect(activeSilenceFor('db-1', silences, at(12))).toBeUndefined();
  });

  it('says until when to the minute, with the date when it is not today', () => {
    expect(silenceUntilText(silences[1], now, 'en')).toBe('11:30');
    const tomorrow: Silence = { ...base, id: 'x', startsAt: at(9), endsAt: at(8, 15, 27) };
    expect(silenceUntilText(tomorrow, now, 'en')).toMatch(/Nov 27.*08:15/);
    expect(silenceUntilText(tomorrow, now, 'ko')).toMatch(/11월 27일.*08:15/);
  });

  it('tells upcoming, running and ended windows apart', () => {
    expect(silencePhase(silences[3], now)).toBe('upcoming');
    expect(silencePhase(silences[1], now)).toBe('active');
    expect(silencePhase(silences[0], at(10, 42))).toBe('over');
  });
});
