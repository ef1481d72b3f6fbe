import type { AppNotification } from './api/alerts';
import { renderCode, t, type MessageKey } from './i18n';
import { en } from './i18n/en';

function has(key: string): key is MessageKey {
  return key in en;
}

/** A metric in words: the catalogue's label without its unit suffix ("CPU usage (%)" → "CPU usage"), with the mount. */
function metricWords(params: Record<string, unknown>): string {
  const metric = typeof params.metric === 'string' ? params.metric : '';
  const key = `metric.${metric}`;
  const fallback = typeof params.metricLabel === 'string' ? params.metricLabel : metric;
  if (!has(key)) return fallback;
  const label = t(key).replace(/\s*\([^)]*\)\s*$/, '');
  return typeof params.mount === 'string' && params.mount ? `${label} ${params.mount}` : label;
}

function filled(n: AppNotification): Record<string, unknown> {
  const p = n.params ?? {};
  const level = typeof p.level === 'string' && has(`alerts.level.${p.level}`) ? t(`alerts.level.${p.level}` as MessageKey) : p.level;
  return { ...p, level, metric: metricWords(p) };
}

/** A notification's title in the user's language; the hub's English title when it sent no code we know. */
export function noticeTitle(n: AppNotification): string {
  if (!n.code || !n.params) return n.title;
  return renderCode('notice.', n.code, filled(n), n.title);
}

/** The notification's second line (rule and top processes) in the user's language, else the hub's English body. */
export function noticeBody(n: AppNotification): string {
  if (!n.code || !n.params) return n.body;
  const p = n.params;
  const parts: string[] = [];
  if (typeof p.rule === 'string' && p.rule) parts.push(t('notice.rule', { rule: p.rule }));
  if (typeof p.top === 'string' && p.top) parts.push(t('notice.top', { top: p.top }));
  return parts.join(' ');
}
