/**
 * Typed senders and receivers for the protocol in `./protocol`. Every call
 * resolves to a `Result`; a missing receiver (background asleep and failing to
 * wake, tab without a content script) becomes `{ ok: false }` instead of a
 * throw.
 *
 * Content scripts use `contentCall`, which only accepts the calls a content
 * script may make (a lint rule keeps `pageCall` out of entrypoints/content);
 * extension pages use `pageCall`.
 */
import { browser } from 'wxt/browser';
import { parseTabRequest } from './tab-requests';
import type { ContentCall, ContentReplies, PageCall, PageReplies, Req, Result, TabCall, TabHandlers, TabReplies } from './protocol';

async function send<T>(type: string, exchange: () => Promise<unknown>): Promise<Result<T>> {
  try {
    const reply = (await exchange()) as Result<T> | undefined;
    return reply ?? { ok: false, error: `no reply to ${type}` };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A call from a content script to the background. */
export function contentCall<K extends ContentCall>(type: K, req: Req<K>): Promise<Result<ContentReplies[K]>> {
  return send(type, () => browser.runtime.sendMessage({ type, ...req }));
}

/** A call from an extension page (popup, settings) to the background. */
export function pageCall<K extends PageCall>(type: K, req: Req<K>): Promise<Result<PageReplies[K]>> {
  return send(type, () => browser.runtime.sendMessage({ type, ...req }));
}

/** A call to the content script in one frame of a tab (the top frame by default). */
export function tabCall<K extends TabCall>(tabId: number, type: K, req: Req<K>, frameId = 0): Promise<Result<TabReplies[K]>> {
  return send(type, () => browser.tabs.sendMessage(tabId, { type, ...req }, { frameId }));
}

/**
 * A `runtime.onMessage` listener for a content script: checks each message
 * against the tab requests, answers the calls it has handlers for, and leaves
 * every other message alone. It answers through `sendResponse`, at once,
 * which the browser's own API takes in every browser (the content script
 * does without webextension-polyfill; see wxt.config.ts), where a returned
 * promise is not taken by every Chromium we support.
 */
export function tabReceiver(handlers: Partial<TabHandlers>): (message: unknown, sender: unknown, sendResponse: (reply: Result<unknown>) => void) => undefined {
  return (message, _sender, sendResponse) => {
    const parsed = parseTabRequest(message);
    if (!parsed.ok) {
      if (parsed.known) sendResponse({ ok: false, error: parsed.error });
      return;
    }
    const handler = handlers[parsed.type] as ((req: unknown) => unknown) | undefined;
    if (!handler) return;
    try {
      sendResponse({ ok: true, value: handler(parsed.req) });
    } catch (error) {
      sendResponse({ ok: false, error: (error as Error).message });
    }
  };
}
