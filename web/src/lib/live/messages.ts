import type { AlertEvent, AppNotification } from '../api/alerts';
import type { ServerStatus, Snapshot } from '../api/types';

/**
 * Everything the hub sends on /api/v1/ws (docs/live-protocol.md), the same closed set as the hub's `LiveMessage`.
 * `parseMessage` is the one place hub text becomes these types; the recorded fixtures the hub's serialiser is tested
 * against (server/src/test/resources/live-fixtures) are parsed by messages.test.ts.
 */
export type SnapshotMessage = Snapshot & { type: 'snapshot' };

export interface StatusMessage {
  type: 'status';
  serverId: string;
  status: ServerStatus;
  ts: number;
  reason?: string;
  reasonCode?: string;
  reasonParams?: Record<string, unknown>;
}

export type AlertMessage = AlertEvent & { type: 'alert' };

export type NotificationMessage = AppNotification & { type: 'notification' };

/** A stored log line pushed to sockets tailing its server (no id: it is not read back from the table). */
export interface LogMessage {
  type: 'log';
  ts: number;
  serverId?: string;
  source: string;
  level: string;
  unit?: string;
  message: string;
  actor?: string;
  target?: string;
}

export interface ReadyMessage {
  type: 'ready';
  user: { id: string; email?: string; role?: string };
}

export interface PingMessage {
  type: 'ping';
  ts: number;
}

export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
}

/** The viewer fell behind: older snapshots (and log lines) were left out, each server's newest was sent. */
export interface CoalescedMessage {
  type: 'coalesced';
  ts: number;
  skipped: number;
  logsSkipped: number;
}

/** What an overview card draws, per server. */
export interface ServerSummary {
  serverId: string;
  ts: number;
  cpu: number;
  memUsed: number;
  memTotal: number;
  diskUsed: number;
  diskTotal: number;
  netRxBps: number;
  netTxBps: number;
  status?: ServerStatus;
}

/** At most once a second: the servers that changed since the last summary (the first one holds them all). */
export interface SummaryMessage {
  type: 'summary';
  ts: number;
  servers: ServerSummary[];
}

export type LiveMessage =
  | SnapshotMessage
  | StatusMessage
  | AlertMessage
  | NotificationMessage
  | LogMessage
  | ReadyMessage
  | PingMessage
  | ErrorMessage
  | CoalescedMessage
  | SummaryMessage;

export type LiveMessageType = LiveMessage['type'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const STATUSES: readonly string[] = ['online', 'offline', 'pending', 'error'];
const isStatus = (v: unknown): v is ServerStatus => isString(v) && STATUSES.includes(v);

function summary(v: unknown): v is ServerSummary {
  return (
    isObject(v) &&
    isString(v.serverId) &&
    ['ts', 'cpu', 'memUsed', 'memTotal', 'diskUsed', 'diskTotal', 'netRxBps', 'netTxBps'].every((k) => isNumber(v[k])) &&
    (v.status === undefined || isStatus(v.status))
  );
}

/** Checks the fields each type's readers rely on; the rest of the message is taken as the hub sent it. */
const VALID: { [K in LiveMessageType]: (m: Json) => boolean } = {
  snapshot: (m) => isString(m.serverId) && isNumber(m.ts),
  status: (m) => isString(m.serverId) && isStatus(m.status) && isNumber(m.ts) && (m.reason === undefined || isString(m.reason)),
  alert: (m) => m.id !== undefined && isString(m.serverId) && isString(m.state),
  notification: (m) => isString(m.id) && isString(m.title) && isNumber(m.ts),
  log: (m) => isNumber(m.ts) && isString(m.message) && isString(m.source) && isString(m.level),
  ready: (m) => isObject(m.user) && isString(m.user.id),
  ping: (m) => isNumber(m.ts),
  error: (m) => isString(m.code) && isString(m.message),
  coalesced: (m) => isNumber(m.ts) && isNumber(m.skipped) && isNumber(m.logsSkipped),
  summary: (m) => isNumber(m.ts) && Array.isArray(m.servers) && m.servers.every(summary),
};

/** A hub message from the socket's text, or null when it is not JSON, not a known type or lacks what readers need. */
export function parseMessage(data: unknown): LiveMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(typeof data === 'string' ? data : String(data));
  } catch {
    return null;
  }
  if (!isObject(m) || !isString(m.type) || !Object.hasOwn(VALID, m.type)) return null;
  const type = m.type as LiveMessageType;
  return VALID[type](m) ? (m as unknown as LiveMessage) : null;
}
