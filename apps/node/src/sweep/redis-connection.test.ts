import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { RedisUnreachableError, parseRedisUrl, probeRedis, redactedUrl, retryDelayMs } from './redis-connection.js';

/** A TCP server on a free loopback port that answers every connection with `reply` (or never). */
async function fakeServer(reply: string | null): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.on('data', () => {
      if (reply !== null) socket.write(reply);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('probeRedis', () => {
  it('accepts any Redis reply, PONG or an error such as NOAUTH', async () => {
    for (const reply of ['+PONG\r\n', '-NOAUTH Authentication required.\r\n']) {
      const { url, server } = await fakeServer(reply);
      await expect(probeRedis(url, 2000)).resolves.toBeUndefined();
      server.close();
    }
  });

  it('names the URL, the cause and the fix in one line', async () => {
    await expect(probeRedis('redis://127.0.0.1:1', 2000)).rejects.toThrow(
      new RedisUnreachableError(
        'cannot reach Redis at redis://127.0.0.1:1: connection refused; start redis-server or fix --queue',
      ),
    );
    const http = await fakeServer('HTTP/1.1 400 Bad Request\r\n\r\n');
    await expect(probeRedis(http.url, 2000)).rejects.toThrow(
      /: the server at that address is not Redis \(it answered "HTTP\/1.1 400 Bad Request"\); start redis-server or fix --queue$/,
    );
    http.server.close();
    const silent = await fakeServer(null);
    const started = performance.now();
    await expect(probeRedis(silent.url, 300)).rejects.toThrow(/: no answer within 0.3 s; start redis-server/);
    expect(performance.now() - started).toBeLessThan(2000);
    silent.server.close();
  });

  it("selects the URL's database: one the server does not have is refused, where BullMQ went on in database 0", async () => {
    // Answers PING, and SELECT as a server with 16 databases does.
    const server = createServer((socket) => {
      socket.on('data', (d) => {
        const select = /SELECT (\d+)/.exec(d.toString());
        socket.write(!select ? '+PONG\r\n' : Number(select[1]) < 16 ? '+OK\r\n' : '-ERR DB index is out of range\r\n');
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(probeRedis(`${base}/3`, 2000)).resolves.toBeUndefined();
    await expect(probeRedis(`${base}/99`, 2000)).rejects.toThrow(
      new RedisUnreachableError(
        `Redis at ${base}/99 has no database 99 (it answered "ERR DB index is out of range"); use one it has (0–15 unless its config says more) in the URL's path`,
      ),
    );
    server.close();
    expect(() => parseRedisUrl('redis://127.0.0.1:6379?db=3')).toThrow(
      '--queue: a Redis URL here takes no query or fragment ("?db=3"); give the database as its path: redis://host:6379/3',
    );
  });

  it('a URL that is not redis://host:port is a usage error', async () => {
    await expect(probeRedis('http://127.0.0.1:6379')).rejects.toThrow(UsageError);
    await expect(probeRedis('127.0.0.1:6379')).rejects.toThrow(
      /--queue must be a Redis URL like redis:\/\/127.0.0.1:6379, but got "127.0.0.1:6379"/,
    );
  });
});

describe('parseRedisUrl', () => {
  it('keeps the user, password and database a URL gives, which were dropped, and hides the password in messages', async () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(parseRedisUrl('redis://me:p%40ss@example.org/3')).toEqual({
      host: 'example.org',
      port: 6379,
      username: 'me',
      password: 'p@ss',
      db: 3,
    });
    expect(() => parseRedisUrl('redis://127.0.0.1/queue')).toThrow(
      '--queue: the path of a Redis URL is a database number (redis://host:6379/3), but got "/queue"',
    );
    expect(redactedUrl('redis://:secret@127.0.0.1:1/3')).toBe('redis://:***@127.0.0.1:1/3');
    await expect(probeRedis('redis://:secret@127.0.0.1:1/3', 2000)).rejects.toThrow(
      'cannot reach Redis at redis://:***@127.0.0.1:1/3: connection refused',
    );
  });
});

describe('reconnect backoff', () => {
  it('doubles from 0.5 s and stops growing at 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });
});
