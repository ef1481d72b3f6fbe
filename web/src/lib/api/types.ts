// Shapes of the v1 contract (shared/design/API.md). Times are epoch ms, bytes are bytes, rates per second.

export type Role = 'admin' | 'member' | 'viewer';

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token stays valid. */
  expiresIn: number;
  user: User;
}

/** A social sign-in provider the hub has enabled (google, facebook, kakao, apple, oidc). */
export interface Provider {
  id: string;
  name: string;
}

export interface AuthStatus {
  setupRequired: boolean;
  providers: Provider[];
}

/** The password step's answer when two-factor sign-in is on. */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}

export interface Identity {
  id: string;
  provider: string;
  email?: string | null;
  createdAt: number;
}

/** GET /api/v1/auth/me */
export interface Profile extends User {
  locale?: string | null;
  hasPassword: boolean;
  twoFactor: boolean;
  recoveryCodesLeft?: number;
  identities: Identity[];
}

/** A user in the admin's list. */
export interface Account extends User {
  locale?: string | null;
  disabled: boolean;
  hasPassword: boolean;
  twoFactor: boolean;
  createdAt: number;
}

export type AccessLevel = 'view' | 'manage';

export interface Grant {
  userId: string;
  level: AccessLevel;
  email?: string;
  name?: string;
}

export interface FieldError {
  field: string;
  /** English, for API users; the client shows `code` in the user's language when it knows it. */
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

/** RFC 9457 problem document. */
export interface Problem {
  type?: string;
  status?: number;
  title?: string;
  detail?: string;
  instance?: string;
  /** Stable reason code (e.g. auth.wrong_credentials) with its parameters; `detail` stays English. */
  code?: string;
  params?: Record<string, unknown>;
  errors?: FieldError[];
}

export type ServerMode = 'local' | 'agent' | 'ssh' | 'prometheus';
export type ServerStatus = 'online' | 'offline' | 'pending' | 'error';

export interface ServerInfo {
  hostname?: string;
  os?: string;
  kernel?: string;
  cpuModel?: string;
  cores?: number;
  memoryTotal?: number;
  /** Seconds since boot, at measuredAt. */
  uptime?: number;
  /** When the hub learnt this info (epoch ms): uptime advances from then. */
  measuredAt?: number;
}

export interface Server {
  id: string;
  name: string;
  mode: ServerMode;
  status: ServerStatus;
  /** Why the server is offline, pending or in error (unreachable host, wrong password, changed host key…). */
  statusReason?: string;
  /** The same reason as a stable code (e.g. ssh.password_refused) with parameters, to render in the user's language. */
  statusReasonCode?: string;
  statusReasonParams?: Record<string, unknown>;
  lastSeen: number | null;
  host?: string;
  port?: number;
  username?: string;
  /** SSH servers: which kind of credentials is stored; the credentials themselves never leave the hub. */
  hasPassword?: boolean;
  hasKey?: boolean;
  /** SSH servers: the trusted host key ("SHA256:…"), and a changed one waiting for an admin to accept it. */
  hostKeyFingerprint?: string;
  hostKeyOffered?: string;
  /** SSH servers: the keys' types (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa…). An offered key with no trusted one is a first key to confirm. */
  hostKeyType?: string;
  hostKeyOfferedType?: string;
  /** SSH servers: an admin allowed this one a loopback, link-local or hub-own address (otherwise refused). */
  allowLoopback?: boolean;
  info?: ServerInfo;
  /**
   * Agent servers: the measured clock offset, agent clock minus hub clock in ms (positive = the agent is ahead);
   * the hub stores snapshots at hub time. null or absent when unknown or not an agent.
   */
  clockOffsetMs?: number | null;
  latest?: Snapshot | null;
  /** Only in the response that created or regenerated an agent token: shown once. */
  agentToken?: string;
  /** One line to run on the server: a single-use install code (never the token) until installExpiresAt. */
  installCommand?: string;
  installExpiresAt?: number;
  /** The manual way, without systemd: the token in the environment. */
  manualCommand?: string;
  /** Prometheus servers: the node_exporter metrics URL the hub scrapes. */
  url?: string;
  /** The overview group this server is in (issue 14); absent: none. */
  groupId?: string;
  /** Free-form tags, sorted. */
  tags?: string[];
}

/** POST /api/v1/servers (all of it) and PATCH /api/v1/servers/{id} (any part). */
export interface ServerInput {
  name?: string;
  mode?: 'agent' | 'ssh' | 'prometheus';
  /** Prometheus servers: the node_exporter metrics URL (http://host:9100/metrics). */
  url?: string;
  /** Admins only: let an SSH or prometheus server point at a loopback, link-local or hub-own address. */
  allowLoopback?: boolean;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /** SSH servers, on create only: the expected host key ("SHA256:…", or the whole `ssh-keygen -lf` line); no confirmation step then. */
  hostKeyFingerprint?: string;
}

export interface ProcessInfo {
  pid: number;
  name: string;
  user: string;
  /** Percent of one core (a process busy on two cores shows 200). */
  cpu: number;
  rss: number;
  command?: string;
  /** Storage reads/writes in B/s (/proc/[pid]/io); absent when unknown (not permitted, or first seen). */
  readBps?: number;
  writeBps?: number;
}

/** One temperature (°C) or fan (RPM) sensor; max/critical are the kernel's thresholds (docs/snapshot.md). */
export interface Sensor {
  chip: string;
  label: string;
  kind: 'temperature' | 'fan';
  value: number;
  max?: number;
  critical?: number;
}

export interface Gpu {
  id: string;
  name: string;
  vendor: 'nvidia' | 'amd' | 'intel' | 'other';
  /** Percent. */
  utilization?: number;
  memoryUsed?: number;
  memoryTotal?: number;
  /** °C. */
  temperature?: number;
  /** Watts. */
  power?: number;
}

export type SmartUnavailable = 'no-smartctl' | 'no-permission' | 'no-devices';

export interface Drive {
  device: string;
  model: string;
  protocol: string;
  health: 'passed' | 'failed' | 'unknown';
  standby?: boolean;
  temperature?: number;
  powerOnHours?: number;
  reallocated?: number;
  pending?: number;
  percentageUsed?: number;
  mediaErrors?: number;
}

export interface DiskHealth {
  unavailable?: SmartUnavailable;
  checkedAt: number;
  drives: Drive[];
}

export interface Services {
  total: number;
  active: number;
  inactive: number;
  failed: number;
  transitioning: number;
  failedUnits: string[];
  watched: { name: string; activeState: string; subState: string }[];
}

export interface Snapshot {
  serverId: string;
  ts: number;
  cpu: {
    usage: number;
    user?: number;
    system?: number;
    iowait?: number;
    steal?: number;
    cores: number[];
    load1: number;
    load5: number;
    load15: number;
  };
  memory: {
    total: number;
    used: number;
    available?: number;
    cached?: number;
    swapTotal: number;
    swapUsed: number;
  };
  disks: { mount: string; device?: string; fs?: string; total: number; used: number }[];
  diskIo: {
    readBps: number;
    writeBps: number;
    devices?: { name: string; readBps: number; writeBps: number }[];
  };
  network: {
    rxBps: number;
    txBps: number;
    interfaces?: { name: string; rxBps: number; txBps: number }[];
  };
  processes?: { count: number; top: ProcessInfo[] };
  /** Optional sections (docs/snapshot.md): absent when not collected on this host, so no empty panel is drawn. */
  sensors?: Sensor[];
  gpus?: Gpu[];
  diskHealth?: DiskHealth;
  services?: Services;
  /** Absent or null: not collected on this host (no engine); [] : an engine with no containers. */
  containers?: ContainerInfo[] | null;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type ContainerHealth = 'none' | 'starting' | 'healthy' | 'unhealthy';

/** One container (docs/snapshot.md "containers"). */
export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  health: ContainerHealth;
  restarts: number;
  /** Epoch ms; 0 when it never started. */
  startedAt: number;
  /** Percent of one core. */
  cpu: number;
  memory: number;
  /** 0: no limit. */
  memoryLimit: number;
  rxBps: number;
  txBps: number;
  readBps: number;
  writeBps: number;
  pids: number;
}

export interface ContainersAt {
  serverId: string;
  ts: number;
  containers: ContainerInfo[];
}

/** The scalar series every history point carries (docs/history-api.md). */
export type SeriesField =
  | 'cpu'
  | 'memUsed'
  | 'memTotal'
  | 'swapUsed'
  | 'swapTotal'
  | 'diskUsed'
  | 'diskTotal'
  | 'diskReadBps'
  | 'diskWriteBps'
  | 'netRxBps'
  | 'netTxBps'
  | 'load1'
  | 'load5'
  | 'load15';

/** Rollup tiers add the bucket's extremes: cpuMin, cpuMax, memUsedMin, … */
export type SeriesExtremes = Partial<Record<`${SeriesField}${'Min' | 'Max'}`, number>>;

export interface MountUsage {
  used: number;
  total: number;
}

export interface DeviceRates {
  readBps: number;
  writeBps: number;
}

export interface InterfaceRates {
  rxBps: number;
  txBps: number;
}

/**
 * One row of the metrics history; the live view turns snapshots into the same shape. Raw-tier points hold exact
 * values, rollup points bucket averages. Each per-part family is absent when the host has none.
 */
export interface MetricPoint extends SeriesExtremes {
  ts: number;
  cpu: number;
  memUsed: number;
  memTotal: number;
  swapUsed: number;
  swapTotal: number;
  diskUsed: number;
  diskTotal: number;
  diskReadBps: number;
  diskWriteBps: number;
  netRxBps: number;
  netTxBps: number;
  load1: number;
  load5?: number;
  load15?: number;
  /** Each core's CPU %, index = core number. */
  cores?: number[];
  /** Bytes used and total per mount point. */
  mounts?: Record<string, MountUsage>;
  /** Bytes/s per disk device. */
  devices?: Record<string, DeviceRates>;
  /** Bytes/s per network interface, loopback included. */
  interfaces?: Record<string, InterfaceRates>;
  /** Per container name: CPU % of one core and memory bytes. */
  containers?: Record<string, { cpu: number; memory: number }>;
  /** Per temperature sensor (chip/label): °C, and the kernel's critical threshold where it gives one. */
  temperatures?: Record<string, { value: number; critical?: number }>;
  /** Per fan (chip/label): RPM. */
  fans?: Record<string, { rpm: number }>;
  /** Per GPU id: utilisation %, temperature °C and memory bytes where the driver gives them. */
  gpus?: Record<string, { utilization: number; temperature?: number; memoryUsed?: number; memoryTotal?: number }>;
}

export type MetricsTier = 'raw' | '1m' | '1h' | string;

export interface MetricsHistory {
  serverId: string;
  from: number;
  to: number;
  step: number | null;
  tier: MetricsTier;
  points: MetricPoint[];
}

export interface ProcessesAt {
  serverId: string;
  ts: number;
  count: number;
  top: ProcessInfo[];
}

// API tokens and /metrics
export type TokenScope = 'read' | 'manage';

/** An API token as listed: never the token itself. serverIds absent = every server its owner may see. */
export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  serverIds?: string[];
  expiresAt?: number;
  createdAt: number;
  lastUsedAt?: number;
}

/** The one answer that carries the token (flk_…). */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface NewApiToken {
  name: string;
  scope: TokenScope;
  serverIds?: string[];
  expiresAt?: number;
}

/** An overview group (`/api/v1/server-groups`). */
export interface ServerGroup {
  id: string;
  name: string;
  createdAt: number;
}

/** A server's place on the overview (`PUT /api/v1/servers/{id}/grouping`). */
export interface ServerGrouping {
  groupId?: string | null;
  tags: string[];
}
