import type { AlertRule } from './api/alerts';

/** What the overview colours: each maps onto the alert metric that watches it. */
export type ThresholdMetric = 'cpu.usage' | 'memory.usage' | 'disk.usage' | 'cpu.load1';
export type Level = 'ok' | 'warning' | 'critical';

export interface Threshold {
  warning?: number;
  critical?: number;
  comparator: '>' | '<';
  /** Where the numbers came from: the user's alert rules, or the overview's defaults. */
  source: 'rule' | 'default';
}

/** Percent metrics: amber from 80 %, red from 90 %. Load: per core, amber from 1 × cores, red from 2 ×. */
export const DEFAULTS: Record<'cpu.usage' | 'memory.usage' | 'disk.usage', { warning: number; critical: number }> = {
  'cpu.usage': { warning: 80, critical: 90 },
  'memory.usage': { warning: 80, critical: 90 },
  'disk.usage': { warning: 80, critical: 90 },
};

function covers(rule: AlertRule, serverId: string): boolean {
  return rule.enabled && (!rule.serverIds || rule.serverIds.length === 0 || rule.serverIds.includes(serverId));
}

/**
 * The thresholds the overview colours a metric of one server with: the enabled rules that watch that metric for
 * that server (all servers when a rule names none; for disks, the rules on any mount or on "/"), the strictest of
 * their warning and critical levels; without such a rule, the defaults. cores: the server's logical CPUs (for load).
 */
export function thresholdFor(metric: ThresholdMetric, serverId: string, rules: readonly AlertRule[], cores?: number): Threshold | undefined {
  const mine = rules.filter(
    (r) => r.metric === metric && r.comparator === '>' && covers(r, serverId) && (metric !== 'disk.usage' || !r.mount || r.mount === '/'),
  );
  const warnings = mine.map((r) => r.warning).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const criticals = mine.map((r) => r.critical).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (warnings.length || criticals.length) {
    return {
      warning: warnings.length ? Math.min(...warnings) : undefined,
      critical: criticals.length ? Math.min(...criticals) : undefined,
      comparator: '>',
      source: 'rule',
    };
  }
  if (metric === 'cpu.load1') {
    if (!cores || cores <= 0) return undefined;
    return { warning: cores, critical: cores * 2, comparator: '>', source: 'default' };
  }
  return { ...DEFAULTS[metric], comparator: '>', source: 'default' };
}

/** Which colour a value is: red at or past critical, amber at or past warning (rules fire above; the colour warns at). */
export function levelOf(value: number | null | undefined, t: Threshold | undefined): Level {
  if (value === null || value === undefined || !Number.isFinite(value) || !t) return 'ok';
  if (t.critical !== undefined && value >= t.critical) return 'critical';
  if (t.warning !== undefined && value >= t.warning) return 'warning';
  return 'ok';
}

/** The worst of several levels (a server's row or card border). */
export function worst(...levels: Level[]): Level {
  return levels.includes('critical') ? 'critical' : levels.includes('warning') ? 'warning' : 'ok';
}

export interface ServerLevels {
  cpu: Level;
  memory: Level;
  disk: Level;
  load: Level;
  /** The worst of them: the row's or card's mark. */
  any: Level;
}

/** The overview's colours for one server's numbers (percentages 0–100, load as the kernel gives it). */
export function serverLevels(
  serverId: string,
  v: { cpu?: number; memory?: number; disk?: number; load1?: number; cores?: number },
  rules: readonly AlertRule[],
): ServerLevels {
  const cpu = levelOf(v.cpu, thresholdFor('cpu.usage', serverId, rules));
  const memory = levelOf(v.memory, thresholdFor('memory.usage', serverId, rules));
  const disk = levelOf(v.disk, thresholdFor('disk.usage', serverId, rules));
  const load = levelOf(v.load1, thresholdFor('cpu.load1', serverId, rules, v.cores));
  return { cpu, memory, disk, load, any: worst(cpu, memory, disk, load) };
}
