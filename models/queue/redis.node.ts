// Redis connections for the queue commands. BullMQ (in ESM) takes an ioredis client; workers need
// `maxRetriesPerRequest: null` so their blocking reads wait through a Redis restart.
import { Redis } from 'ioredis';
import { messageOf } from '../common/errors.ts';

export class RedisUnreachableError extends Error {}

/** Connects and pings, so an unreachable server is one clear message rather than endless retries. */
export async function connectRedis(url: string): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url))
    throw new RedisUnreachableError(`--redis takes redis://host:port[/db] (got "${url}")`);
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
  client.on('error', () => {}); // connection errors surface through connect() and the commands
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisUnreachableError(`cannot reach Redis at ${url}: ${messageOf(err)} (is redis-server running?)`);
  }
  return client;
}
