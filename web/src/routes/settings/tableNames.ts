import { t, type MessageKey } from '../../lib/i18n';

/** What a stored table holds, in the user's words: the screen never shows a table name like metrics_blocks. */
export function tableLabel(name: string): string {
  const key = `m3.table.${name}` as MessageKey;
  const text = t(key);
  // A table this client does not know yet (a newer hub): its words, not its identifier.
  return text === key ? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : text;
}
