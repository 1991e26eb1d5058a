import { connect } from 'node:net';
import type { ConnectionOptions } from 'bullmq';
import { LearnabilityError } from '@learnability/core';
import { UsageError } from '../cli-error.js';

/** Redis cannot be reached (refused, unknown host, no answer): a runtime failure, exit code 1. */
export class RedisUnreachableError extends LearnabilityError {
  override name = 'RedisUnreachableError';
}

/** How long `probeRedis` waits for a connection and a PING reply, in ms. */
export const PROBE_TIMEOUT_MS = 5000;

/** Reconnect backoff after a lost connection: 0.5 s, 1 s, 2 s, … capped at 15 s (ms). */
export function retryDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 15_000);
}

/** `redis://host:port` → host and port; a UsageError naming the expected form otherwise. */
export interface RedisAddress {
  host: string;
  port: number;
  /** From redis://user:password@host: what AUTH sends. */
  username?: string;
  password?: string;
  /** From redis://host/3: the database number. */
  db?: number;
}

/**
 * The parts of a redis:// URL BullMQ's clients connect with: host, port, and user, password and db
 * when given. `command` (`sweep`) prefixes its errors, as that command's other errors are.
 */
export function parseRedisUrl(url: string, command?: string): RedisAddress {
  let parsed: URL;
  const who = command === undefined ? '' : `${command}: `;
  const bad = () =>
    new UsageError(`${who}--queue must be a Redis URL like redis://127.0.0.1:6379, but got "${redactedUrl(url)}"`);
  try {
    parsed = new URL(url);
  } catch {
    throw bad();
  }
  if (parsed.protocol !== 'redis:' || !parsed.hostname) throw bad();
  // ioredis reads neither: redis://host:6379?db=3 would silently use database 0.
  if (parsed.search !== '' || parsed.hash !== '')
    throw new UsageError(
      `${who}--queue: a Redis URL here takes no query or fragment ("${parsed.search}${parsed.hash}"); give the database as its path: redis://host:6379/3`,
    );
  const path = parsed.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path))
    throw new UsageError(
      `${who}--queue: the path of a Redis URL is a database number (redis://host:6379/3), but got "/${path}"`,
    );
  const decode = (s: string) => decodeURIComponent(s);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decode(parsed.username) } : {}),
    ...(parsed.password ? { password: decode(parsed.password) } : {}),
    ...(path !== '' ? { db: Number(path) } : {}),
  };
}

/** `url` with its password, if any, shown as *** (for messages and logs). */
export function redactedUrl(url: string): string {
  return url.replace(/^(redis:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** Words for a socket error code (`ECONNREFUSED` → `connection refused`). */
function describeSocketError(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
  };
  return words[code] ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Connects to `url`, sends PING and waits for any reply, within `timeoutMs`; with a database in
 * the URL (redis://host:6379/3) and a server that needs no password, also SELECTs it, since
 * ioredis would go on in database 0 after a SELECT the server refused. Throws a
 * RedisUnreachableError with one line naming the URL, the cause and the fix; BullMQ itself would
 * retry a refused connection forever without a word.
 */
export async function probeRedis(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const { host, port, db } = parseRedisUrl(url);
  const fail = (why: string) =>
    new RedisUnreachableError(`cannot reach Redis at ${redactedUrl(url)}: ${why}; start redis-server or fix --queue`);
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => done(fail(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    let reply = '';
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    let selecting = false;
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (!reply.includes('\r\n')) return;
      const answer = reply.trim();
      reply = '';
      if (selecting) {
        if (answer.startsWith('+')) return done();
        return done(
          new RedisUnreachableError(
            `Redis at ${redactedUrl(url)} has no database ${db} (it answered "${answer.slice(1, 60)}"); use one it has (0–15 unless its config says more) in the URL's path`,
          ),
        );
      }
      // +PONG, or an error such as -NOAUTH: either way a Redis server answered. Past a password
      // (which the probe does not send) the database is BullMQ's to select.
      if (answer.startsWith('+') && db !== undefined) {
        selecting = true;
        socket.write(`SELECT ${db}\r\n`);
      } else if (answer.startsWith('+') || answer.startsWith('-')) done();
      else done(fail(`the server at that address is not Redis (it answered "${answer.slice(0, 40)}")`));
    });
    socket.on('error', (e) => done(fail(describeSocketError(e))));
    socket.on('close', () => done(fail('the server closed the connection')));
  });
}

/** BullMQ connection options that report outages, and the hooks that feed them. */
export interface WatchedConnection {
  connection: ConnectionOptions;
  /** Give every client 'error' here: it names the cause in the next retry line. */
  noteError(e: unknown): void;
  /** Give every client 'ready' here: after an outage it prints one "reconnected" line. */
  noteReady(): void;
}

/**
 * Connection options for BullMQ's Redis clients that say when Redis is lost and retry with
 * backoff (`retryDelayMs`): one line per backoff step, and one line on reconnecting. Every client
 * made from these options shares the log, so a Worker's two connections say it once.
 */
export function watchedConnection(url: string, log: (line: string) => void): WatchedConnection {
  const { host, port, ...auth } = parseRedisUrl(url);
  const shown = redactedUrl(url);
  let lastError = 'connection lost';
  let loggedAttempt = 0;
  return {
    connection: {
      host,
      port,
      ...auth,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => {
        const delay = retryDelayMs(attempt);
        if (attempt > loggedAttempt) {
          loggedAttempt = attempt;
          log(`lost Redis at ${shown} (${lastError}); retry ${attempt} in ${(delay / 1000).toFixed(1)} s`);
        }
        return delay;
      },
    },
    noteError(e: unknown) {
      lastError = describeSocketError(e);
    },
    noteReady() {
      if (loggedAttempt === 0) return;
      loggedAttempt = 0;
      log(`reconnected to Redis at ${shown}`);
    },
  };
}
