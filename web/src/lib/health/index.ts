import { api } from '../api';
import { getIngestHealth, type IngestHealth } from '../api/ingest';
import { formatBytes, formatMomentToMinute, formatNumber } from '../format';
import { t } from '../i18n';
import { Poller } from './poller';

export { Poller, type PollState } from './poller';

/** The app banner asks this often; the Settings card asks more often while it is open (one shared stream). */
export const BANNER_POLL_MS = 10_000;
export const CARD_POLL_MS = 3_000;

/** The storage health of the hub, for administrators (the hub refuses others). */
export const ingestHealth = new Poller<IngestHealth>((signal) => getIngestHealth(api, signal));

export type StorageBanner =
  /** Nothing can be stored now: the database is unreachable (since when, if known)… */
  | { kind: 'database-down'; since: number | null }
  /** …or the data disk is below its free-space threshold… */
  | { kind: 'disk-down'; freeBytes: number }
  /** …or the hub says DOWN for a reason of its own. */
  | { kind: 'down' }
  /** Storing works, but some snapshots were not stored. */
  | { kind: 'degraded'; dropped: number };

/**
 * Whether admins see a storage banner, and which. A DEGRADED banner the admin dismissed stays away until more
 * snapshots are dropped (dismissedAt is the drop count then); DOWN cannot be dismissed.
 */
export function storageBanner(health: IngestHealth | null, dismissedAt: number | null = null): StorageBanner | null {
  if (!health || health.status === 'UP') return null;
  if (health.status === 'DOWN') {
    if (health.database?.status === 'DOWN') return { kind: 'database-down', since: health.database.downSince ?? null };
    if (health.dataDisk?.status === 'DOWN') return { kind: 'disk-down', freeBytes: health.dataDisk.freeBytes };
    return { kind: 'down' };
  }
  const dropped = health.ingest?.droppedTotal ?? 0;
  if (dismissedAt !== null && dropped <= dismissedAt) return null;
  return { kind: 'degraded', dropped };
}

/** The banner's sentence in the current language. */
export function bannerText(banner: StorageBanner, now = Date.now()): string {
  switch (banner.kind) {
    case 'database-down':
      return banner.since !== null
        ? t('health.banner.downSince', { time: formatMomentToMinute(banner.since, now) })
        : t('health.banner.down');
    case 'disk-down':
      return t('health.banner.disk', { free: formatBytes(banner.freeBytes) });
    case 'down':
      return t('health.banner.down');
    case 'degraded':
      return banner.dropped > 0
        ? t(banner.dropped === 1 ? 'health.banner.droppedOne' : 'health.banner.dropped', { count: formatNumber(banner.dropped) })
        : t('health.banner.degraded');
  }
}
