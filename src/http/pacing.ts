import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient, OutgoingRequest } from './client.js';
import type { Exchange, RateLimitRetry } from './exchange.js';

/** A 429 is sent again at most this many times before it counts as the answer. */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** Wait before the first retry of a 429 without Retry-After; doubled for each further retry. */
export const RATE_LIMIT_BACKOFF_MS = 1_000;

/**
 * Paces requests to at most `perSecond` starts per second over the whole run (every case, every target): the
 * next request waits for its slot, so concurrency never bursts past the limit a hosted API enforces.
 */
export function withRateLimit(client: HttpClient, perSecond: number): HttpClient {
  const interval = 1_000 / perSecond;
  let nextSlot = 0;
  return {
    send: async (request, signal) => {
      const now = performance.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + interval;
      // An interruption ends the wait at once; the inner send then records the request as not answered.
      if (slot > now) await sleep(slot - now, undefined, signal ? { signal } : {}).catch(() => undefined);
      return client.send(request, signal);
    },
    close: () => client.close(),
  };
}

/**
 * Sends a request again when the answer is 429 Too Many Requests: after its Retry-After (seconds or an HTTP
 * date) or, without one, after an exponential backoff; at most MAX_RATE_LIMIT_RETRIES times, and only while
 * the wait still fits in `budgetMs` (the per-request timeout) counted from the first attempt. The last answer
 * is returned with every retry listed in `retries`.
 */
export function withRateLimitRetry(
  client: HttpClient,
  budgetMs: number,
  now: () => number = () => Date.now(),
): HttpClient {
  return {
    send: async (request: OutgoingRequest, signal?: AbortSignal): Promise<Exchange> => {
      const started = performance.now();
      const retries: RateLimitRetry[] = [];
      let exchange = await client.send(request, signal);
      while (exchange.response?.status === 429 && retries.length < MAX_RATE_LIMIT_RETRIES) {
        const header = exchange.response.headers['retry-after'];
        const fromHeader = header === undefined ? undefined : retryAfterMs(header, now());
        const wait = fromHeader ?? RATE_LIMIT_BACKOFF_MS * 2 ** retries.length;
        if (performance.now() - started + wait > budgetMs || signal?.aborted) break;
        const waited = await sleep(wait, true, signal ? { signal } : {}).catch(() => false);
        if (!waited) break;
        retries.push({
          status: 429,
          waitedMs: Math.round(wait),
          after: fromHeader === undefined ? 'backoff' : 'retry-after',
        });
        exchange = await client.send(request, signal);
      }
      return retries.length === 0 ? exchange : { ...exchange, retries };
    },
    close: () => client.close(),
  };
}

/** Milliseconds a Retry-After value asks for (delta-seconds or HTTP-date, RFC 9110 §10.2.3); undefined if unparsable. */
export function retryAfterMs(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
