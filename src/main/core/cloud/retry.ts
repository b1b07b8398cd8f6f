// Tries again after connection failures and 502/503/504 (isRetryable), a bounded number of
// times, waiting exponentially longer each time with jitter so that many clients that lost
// the cloud together do not come back together. Never for 4xx: those need a change first.
import { appError } from '../../../shared/errors';
import { isRetryable } from './failures';

export interface RetryPolicy {
  /** Attempts in all (the first included). */
  tries: number;
  /** Delay before the second attempt, before jitter. */
  baseMs: number;
  /** The most any one delay may be. */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ tries: 5, baseMs: 1000, maxMs: 30_000 });

/** Delay before attempt `attempt + 1` (attempt counts from 1): "equal jitter", half fixed, half random. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(appError('cancelled', 'Cancelled.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(appError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Called before each wait: what failed and when the next try comes. */
  log?: (line: string) => void;
  random?: () => number;
}

export async function withRetries<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const policy = opts.policy ?? DEFAULT_RETRY;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!isRetryable(e) || n >= policy.tries || opts.signal?.aborted) throw e;
      const delay = backoffDelay(n, policy, opts.random);
      opts.log?.(`try ${n} of ${policy.tries} failed: ${(e as Error).message} Trying again in ${(delay / 1000).toFixed(1)} s.`);
      await sleep(delay, opts.signal);
    }
  }
}
