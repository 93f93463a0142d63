/**
 * Typed senders for the protocol in `./protocol`. Every call resolves to a
 * `Result`; a missing receiver (background asleep and failing to wake, tab
 * without a content script) becomes `{ ok: false }` instead of a throw.
 */
import { browser } from 'wxt/browser';
import type { PageToBackground, Reply, Result, ToContent } from './protocol';

type Req<M, K extends keyof M> = M[K] extends { req: infer R extends object } ? R : never;

export async function callBackground<K extends keyof PageToBackground>(
  type: K,
  req: Req<PageToBackground, K>,
): Promise<Reply<PageToBackground, K>> {
  try {
    const reply = (await browser.runtime.sendMessage({ type, ...req })) as Reply<PageToBackground, K> | undefined;
    return reply ?? (noReply(type) as Reply<PageToBackground, K>);
  } catch (error) {
    return { ok: false, error: (error as Error).message } as Reply<PageToBackground, K>;
  }
}

export async function callTab<K extends keyof ToContent>(
  tabId: number,
  type: K,
  req: Req<ToContent, K>,
): Promise<Reply<ToContent, K>> {
  try {
    const reply = (await browser.tabs.sendMessage(tabId, { type, ...req }, { frameId: 0 })) as
      | Reply<ToContent, K>
      | undefined;
    return reply ?? (noReply(type) as Reply<ToContent, K>);
  } catch (error) {
    return { ok: false, error: (error as Error).message } as Reply<ToContent, K>;
  }
}

function noReply(type: PropertyKey): Result<never> {
  return { ok: false, error: `no reply to ${String(type)}` };
}
