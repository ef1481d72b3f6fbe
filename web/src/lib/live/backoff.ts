/**
 * "Full jitter" backoff: a uniformly random wait in [0, min(cap, base·2^attempt)), so clients that lost
 * the hub together do not come back together.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
