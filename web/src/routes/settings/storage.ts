import type { StorageLayout, StorageReport, StorageTier } from '../../lib/api/logs';
import { DASH, formatBytes, formatDateYearMinute, formatNumber } from '../../lib/format';
import { t, type MessageKey } from '../../lib/i18n';

/** One tier's row of the Storage card, every value formatted for the current language. */
export interface TierRow {
  tier: string;
  label: string;
  bytes: string;
  rows: string;
  blocks: string;
  oldest: string;
  newest: string;
}

export interface TiersView {
  /** The metrics layout in words; null from a hub that does not say. */
  layout: string | null;
  tiers: TierRow[];
  /** Whether any tier reports blocks (only then is the Blocks column and its note worth showing). */
  hasBlocks: boolean;
}

const LAYOUTS: Record<string, MessageKey> = {
  sqlite: 'storage.layout.sqlite',
  partitions: 'storage.layout.partitions',
  timescaledb: 'storage.layout.timescaledb',
};

const TIERS: Record<string, MessageKey> = {
  raw: 'storage.tier.raw',
  '1m': 'storage.tier.1m',
  '1h': 'storage.tier.1h',
};

/** Finest first: raw, minute, hour; a tier the client does not know yet goes last, as the hub names it. */
const ORDER = ['raw', '1m', '1h'];
const rank = (tier: string) => {
  const i = ORDER.indexOf(tier);
  return i < 0 ? ORDER.length : i;
};

/** A layout in words; one the client does not know yet is shown as the hub names it. */
export function layoutLabel(layout: StorageLayout): string {
  const key = LAYOUTS[layout];
  return key ? t(key) : layout;
}

const when = (ts: number | null | undefined) => (typeof ts === 'number' && Number.isFinite(ts) ? formatDateYearMinute(ts) : DASH);

function row(tier: StorageTier): TierRow {
  const key = TIERS[tier.tier];
  return {
    tier: tier.tier,
    label: key ? t(key) : tier.tier,
    bytes: formatBytes(tier.bytes),
    rows: formatNumber(tier.rows),
    blocks: formatNumber(tier.blocks),
    oldest: when(tier.oldest),
    newest: when(tier.newest),
  };
}

/** The per-tier part of the Storage card from GET /api/v1/settings/storage. */
export function tiersView(report: StorageReport): TiersView {
  const tiers = [...(report.tiers ?? [])].sort((a, b) => rank(a.tier) - rank(b.tier));
  return {
    layout: report.layout ? layoutLabel(report.layout) : null,
    tiers: tiers.map(row),
    hasBlocks: tiers.some((x) => typeof x.blocks === 'number'),
  };
}
