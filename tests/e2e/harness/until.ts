/** Waiting on conditions, never on the clock. */
import { vi } from 'vitest';

/**
 * Resolves with `check`'s first truthy value, polling every 100 ms; fails
 * after `timeoutMs` naming `what` and the last value seen. `what` may be a
 * function, asked when a poll fails, for a check that returns null but can
 * say what it saw.
 */
export async function until<T>(check: () => Promise<T | null | undefined | false>, what: string | (() => string), timeoutMs = 15_000): Promise<T> {
  let last: unknown;
  return vi.waitFor(
    async () => {
      last = await check();
      if (!last) throw new Error(`waiting ${timeoutMs} ms for ${typeof what === 'string' ? what : what()} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
      return last as T;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** A pause where a test must show that something does NOT happen within a time. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
