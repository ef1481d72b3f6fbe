import type { ApiClient } from './client';
import type { ProcessInfo } from './types';

export type Severity = 'info' | 'warning' | 'critical';
export type Comparator = '>' | '<';

export const METRICS = [
  'cpu.usage',
  'memory.usage',
  'swap.usage',
  'disk.usage',
  'cpu.load1',
  'cpu.load5',
  'cpu.load15',
  'network.rxBps',
  'network.txBps',
  'diskIo.readBps',
  'diskIo.writeBps',
  'server.offline',
  'sensor.temperature',
  'gpu.temperature',
  'gpu.utilization',
  'smart.failed',
  'smart.temperature',
  'smart.reallocated',
  'smart.pending',
  'smart.percentageUsed',
  'smart.mediaErrors',
  'service.failed',
] as const;
export type MetricId = (typeof METRICS)[number];

/** Metrics whose rule may name one part (the API's mount field): a mount, a sensor, a GPU, a drive or a unit. */
export const PART_HINT: Partial<Record<MetricId, string>> = {
  'disk.usage': '/',
  'sensor.temperature': 'coretemp/Package id 0',
  'gpu.temperature': 'nvidia0',
  'gpu.utilization': 'nvidia0',
  'smart.failed': '/dev/sda',
  'smart.temperature': '/dev/sda',
  'smart.reallocated': '/dev/sda',
  'smart.pending': '/dev/sda',
  'smart.percentageUsed': '/dev/nvme0',
  'smart.mediaErrors': '/dev/nvme0',
  'service.failed': 'nginx.service',
};

/** Metrics a rule may watch without thresholds: a state fires once anything failed, a sensor at its kernel critical. */
export const DEFAULT_THRESHOLD: readonly MetricId[] = ['server.offline', 'smart.failed', 'service.failed', 'sensor.temperature'];

export interface AlertRule {
  id: string;
  name: string;
  metric: MetricId;
  comparator: Comparator;
  warning?: number;
  critical?: number;
  warningLevel: Severity;
  criticalLevel: Severity;
  durationSeconds: number;
  recoveryMargin?: number;
  mount?: string;
  serverIds?: string[];
  repeatMinutes?: number;
  channelIds: string[];
  enabled: boolean;
  mutedUntil?: number;
  createdAt: number;
}
export type RuleInput = Omit<AlertRule, 'id' | 'createdAt'>;

export interface AlertEvent {
  id: string;
  ruleId: string;
  ruleName?: string;
  serverId: string;
  metric: string;
  mount?: string;
  level: Severity;
  state: 'firing' | 'resolved';
  value?: number;
  threshold?: number;
  startedAt: number;
  resolvedAt?: number;
  ackedBy?: string;
  ackedAt?: number;
  /** facts: what a host-inventory rule saw (a sensor's reading, a drive's attributes, the failed units). */
  evidence: { processes: ProcessInfo[]; facts?: string[] };
  /** The highest level this incident reached. */
  peakLevel?: Severity;
  /** How often it fired again within the flap cool-down (the same incident). */
  reopens?: number;
  /** Its level changes and resolves, oldest first. */
  history?: { ts: number; level: Severity | 'resolved'; value?: number }[];
}

export interface ChannelHealth {
  failing: number;
  lastError?: string;
  lastDeliveredAt?: number;
}
export type ChannelType =
  | 'email' | 'webhook' | 'telegram' | 'ntfy' | 'gotify' | 'pushover' | 'teams' | 'matrix'
  | 'mattermost' | 'rocketchat' | 'googlechat' | 'pagerduty' | 'opsgenie';
export interface TemplatePart {
  title?: string;
  body?: string;
}
export type TemplateKind = 'firing' | 'reminder' | 'resolved';
export type ChannelTemplates = Partial<Record<TemplateKind, TemplatePart>>;
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  /** Plain fields as stored; a secret field only as hasX (a secret URL masked). */
  config: {
    to?: string[];
    url?: string;
    format?: 'json' | 'slack' | 'discord' | 'custom';
    templates?: ChannelTemplates;
    headerNames?: string[];
    [field: string]: unknown;
  };
  allowPrivate: boolean;
  createdAt: number;
  health: ChannelHealth;
}
export interface ChannelInput {
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  allowPrivate?: boolean;
}
export interface Delivery {
  id: string;
  channelId: string;
  eventId?: string;
  kind: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
  nextAttemptAt?: number;
  createdAt: number;
  deliveredAt?: number;
}

export interface AppNotification {
  id: string;
  title: string;
  body: string;
  level: Severity;
  ts: number;
  read: boolean;
  eventId?: string;
  serverId?: string;
  link?: string;
  /** Stable code (alert.firing, alert.reminder, alert.resolved) and params to render in the user's language. */
  code?: string;
  params?: Record<string, unknown>;
}

const RULES = '/api/v1/alerts/rules';
const EVENTS = '/api/v1/alerts/events';
const CHANNELS = '/api/v1/alerts/channels';
const enc = encodeURIComponent;

export const listRules = (api: ApiClient) => api.get<AlertRule[]>(RULES);
export const createRule = (api: ApiClient, rule: RuleInput) => api.post<AlertRule>(RULES, rule);
export const updateRule = (api: ApiClient, id: string, rule: RuleInput) =>
  api.request<AlertRule>('PUT', `${RULES}/${enc(id)}`, { body: rule });
export const deleteRule = (api: ApiClient, id: string) => api.request<void>('DELETE', `${RULES}/${enc(id)}`);

/** Each filter takes one value or several, comma-separated (any of them). */
export interface EventQuery {
  state?: string;
  severity?: Severity;
  level?: string;
  serverId?: string;
  ruleId?: string;
  from?: number;
  to?: number;
  limit?: number;
}
export const listEvents = (api: ApiClient, q: EventQuery = {}) => api.get<AlertEvent[]>(EVENTS, { ...q });
export const ackEvent = (api: ApiClient, id: string) => api.post<AlertEvent>(`${EVENTS}/${enc(id)}/ack`);

export const listChannels = (api: ApiClient) => api.get<Channel[]>(CHANNELS);
export const createChannel = (api: ApiClient, c: ChannelInput) => api.post<Channel>(CHANNELS, c);
export const deleteChannel = (api: ApiClient, id: string) => api.request<void>('DELETE', `${CHANNELS}/${enc(id)}`);
export const testChannel = (api: ApiClient, id: string) =>
  api.post<{ delivered: boolean; error?: string }>(`${CHANNELS}/${enc(id)}/test`);
export interface TemplatePreview {
  source: 'sample' | 'latest';
  firing: RenderedTemplate;
  reminder: RenderedTemplate;
  resolved: RenderedTemplate;
  placeholders: string[];
}
export interface RenderedTemplate {
  title: string;
  body: string;
  defaultTitle: string;
  defaultBody: string;
}
export const updateChannel = (api: ApiClient, id: string, c: ChannelInput) =>
  api.request<Channel>('PUT', `${CHANNELS}/${enc(id)}`, { body: c });
export const previewTemplates = (
  api: ApiClient,
  p: { type: ChannelType; config: Record<string, unknown>; source?: 'sample' | 'latest' },
) => api.post<TemplatePreview>(`${CHANNELS}/preview`, p);
export const listDeliveries = (api: ApiClient, id: string) => api.get<Delivery[]>(`${CHANNELS}/${enc(id)}/deliveries`);

export const listNotifications = (api: ApiClient) =>
  api.get<{ items: AppNotification[]; unread: number }>('/api/v1/notifications');
export const markRead = (api: ApiClient, id: string) => api.post<unknown>(`/api/v1/notifications/${enc(id)}/read`);
export const markAllRead = (api: ApiClient) => api.post<unknown>('/api/v1/notifications/read-all');
export const clearNotification = (api: ApiClient, id: string) =>
  api.request<unknown>('DELETE', `/api/v1/notifications/${enc(id)}`);
export const clearNotifications = (api: ApiClient) => api.request<unknown>('DELETE', '/api/v1/notifications');
