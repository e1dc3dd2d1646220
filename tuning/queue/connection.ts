import { Redis } from 'ioredis';
import { UserError } from '../../errors/user-error.ts';

/**
 * Redis as used by the queue: one URL (`redis://[:password@]host:port[/db]`, `rediss://` for TLS),
 * every key under the `hilbench` prefix, and a registry of the tuning runs in progress so that a
 * worker started once serves every run (each run has its own BullMQ queue).
 */
export const QUEUE_PREFIX = 'hilbench';
/** Hash: queue name → JSON { version, host, pid, started } of the coordinator. */
export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;
/** Set with a TTL and refreshed by the coordinator while it runs; a run without it is abandoned. */
export const aliveKey = (queueName: string): string => `${QUEUE_PREFIX}:runs:alive:${queueName}`;
export const ALIVE_TTL_MS = 15_000;
export const ALIVE_REFRESH_MS = 5_000;

export interface RunInfo {
  readonly version: string;
  readonly host: string;
  readonly pid: number;
  readonly started: string;
}

/** Checks the URL's form; the connection itself is made by ioredis (which reads password, db and TLS from it). */
export function checkQueueUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`--queue '${url}': expected redis://[:password@]host:port[/db] or rediss://…`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(`--queue '${url}': expected a redis:// or rediss:// URL`);
  if (u.pathname.length > 1 && !/^\/\d+$/.test(u.pathname)) throw new UserError(`--queue '${url}': the path must be a database number (/0, /1, …)`);
  return url;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * A connection for BullMQ (`maxRetriesPerRequest: null`, which its blocking commands need). A first
 * connection failure is reported as a user error naming the URL instead of retrying forever.
 */
export async function connect(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  // Later connection errors are retried by ioredis; this keeps them from being printed as unhandled.
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => (lastError = e));
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new UserError(`--queue ${redactUrl(url)}: cannot connect (${(lastError ?? (e as Error)).message})`);
  }
  return redis;
}

/** Lock and stalled-check period of the workers (ms): BullMQ's 30 s unless HILBENCH_QUEUE_LOCK_MS says otherwise. */
export function lockDurationMs(): number {
  const env = process.env.HILBENCH_QUEUE_LOCK_MS;
  if (env === undefined || env === '') return 30_000;
  const v = Number(env);
  if (!Number.isInteger(v) || v < 200) throw new UserError(`HILBENCH_QUEUE_LOCK_MS='${env}': expected whole milliseconds ≥ 200`);
  return v;
}
