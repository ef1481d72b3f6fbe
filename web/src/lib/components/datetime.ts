/**
 * Values of the date-time field (DateTimeField.svelte): a local "YYYY-MM-DDTHH:mm[:ss]" string, the machine format
 * of <input type="datetime-local">, read and written as epoch ms. Parsed by hand so an impossible date (Feb 30) or
 * a time the clock skips is refused instead of rolled over by Date.
 */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

export function parseLocalDateTime(text: string): number | null {
  const m = LOCAL.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s);
  // Rolled over (31 April) or moved by a daylight-saving gap: not a time this clock shows.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h || date.getMinutes() !== mi) return null;
  return date.getTime();
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatLocalDateTime(ts: number, seconds = true): string {
  const d = new Date(ts);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${base}:${pad(d.getSeconds())}` : base;
}
