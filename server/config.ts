// The only reader of process.env: everything else receives a typed Config.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  store: 'sqlite' | 'mongodb';
  engine: 'embedded' | 'zeebe';
  mongodbUri?: string;
  zeebeAddress?: string;
  /** The Yishi exporter's endpoints on the brokers (docs/zeebe.md). */
  zeebeExporterUrls: string[];
  /** The secret the exporters take (their `token` argument): their records hold the cases' data. */
  zeebeExporterToken?: string;
  sessionSecret: string;
  adminPassword?: string;
  production: boolean;
  /** Where the shipped rule sets live (processes/ and schemas/). */
  contentDir: string;
  /** How often the durable timer scheduler looks for due timers at the latest (ms). */
  timerPollMs: number;
  /** Largest attachment accepted (bytes). */
  attachmentMaxBytes: number;
  /** Outbound notifications: SMTP server (none: e-mail channels fail and are retried), poll and claim timing. */
  smtp: { url: string; from: string } | null;
  notifyPollMs: number;
  notifyLeaseMs: number;
  notifyRetryMs: number;
  /** Requests per second one job-worker account may make to the Camunda job API. */
  jobApiRatePerSecond: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number): number {
  const text = env[name] ?? String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name}=${text} must be an integer ≥ ${min}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name] ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name}=${value} is not one of ${allowed.join('|')}`);
  }
  return value as T;
}

/** SESSION_SECRET, else one generated once and kept in DATA_DIR so sessions survive restarts. */
function sessionSecret(env: Env, dataDir: string): string {
  if (env.SESSION_SECRET) {
    if (env.SESSION_SECRET.length < 16) throw new ConfigError('SESSION_SECRET must be at least 16 characters');
    return env.SESSION_SECRET;
  }
  const file = path.join(dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT=${portText} is not a port number`);
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? './data');
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (err) {
    throw new ConfigError(`DATA_DIR=${dataDir} is not a writable directory (${(err as Error).message})`);
  }
  // `embedded` was the SQLite store's first name; installations configured with it still start.
  const storeName = oneOf(env, 'STORE', ['sqlite', 'mongodb', 'embedded'] as const, 'sqlite');
  const store = storeName === 'embedded' ? 'sqlite' : storeName;
  const engine = oneOf(env, 'ENGINE', ['embedded', 'zeebe'] as const, 'embedded');
  if (store === 'mongodb' && !env.MONGODB_URI) throw new ConfigError('STORE=mongodb needs MONGODB_URI');
  if (engine === 'zeebe' && !env.ZEEBE_ADDRESS) throw new ConfigError('ENGINE=zeebe needs ZEEBE_ADDRESS');
  if (engine === 'zeebe' && (env.ZEEBE_EXPORTER_TOKEN ?? '').length < 16) {
    throw new ConfigError('ENGINE=zeebe needs ZEEBE_EXPORTER_TOKEN (at least 16 characters), the token the Yishi exporter is configured with (docs/zeebe.md)');
  }
  const pollText = env.TIMER_POLL_MS ?? '1000';
  const timerPollMs = Number(pollText);
  if (!Number.isInteger(timerPollMs) || timerPollMs < 10) throw new ConfigError(`TIMER_POLL_MS=${pollText} must be an integer ≥ 10`);
  if (env.SMTP_URL && !/^smtps?:\/\//.test(env.SMTP_URL)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    store,
    engine,
    mongodbUri: env.MONGODB_URI,
    zeebeAddress: env.ZEEBE_ADDRESS,
    // One per broker, comma-separated; by default the exporter's port on the gateway's host.
    zeebeExporterUrls: (env.ZEEBE_EXPORTER_URL ?? `http://${(env.ZEEBE_ADDRESS ?? '').replace(/^\w+:\/\//, '').split(':')[0]}:9650`).split(',').map((u) => u.trim()).filter(Boolean),
    zeebeExporterToken: env.ZEEBE_EXPORTER_TOKEN,
    sessionSecret: sessionSecret(env, dataDir),
    adminPassword: env.ADMIN_PASSWORD,
    production: env.NODE_ENV === 'production',
    contentDir: path.resolve(cwd, env.CONTENT_DIR ?? '.'),
    timerPollMs,
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1),
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.MAIL_FROM ?? 'yishi@localhost' } : null,
    notifyPollMs: integer(env, 'NOTIFY_POLL_MS', 5000, 10),
    notifyLeaseMs: integer(env, 'NOTIFY_LEASE_MS', 120_000, 100),
    notifyRetryMs: integer(env, 'NOTIFY_RETRY_MS', 30_000, 10),
    jobApiRatePerSecond: integer(env, 'JOB_API_RATE', 5000, 1),
  };
}

/** The rule-set command line talks to a running server as a signed-in administrator. */
export interface CliConfig {
  url: string;
  username: string;
  password: string;
}

export function loadCliConfig(env: Env = process.env): CliConfig {
  const password = env.YISHI_PASSWORD ?? env.ADMIN_PASSWORD;
  if (!password) throw new ConfigError('set YISHI_PASSWORD (or ADMIN_PASSWORD) to the password of YISHI_USER (default admin)');
  return { url: env.YISHI_URL ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? '3000'}`, username: env.YISHI_USER ?? 'admin', password };
}
