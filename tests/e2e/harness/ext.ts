/**
 * Talking to the extension from its own pages, the way the popup and the
 * settings page do: tab lookup, messages to a tab's content script, settings.
 */
import type { Session, Tab } from './browsers';

type Api = {
  tabs: {
    query(q: object): Promise<{ id?: number; url?: string }[]>;
    sendMessage(id: number, m: unknown, o?: object): Promise<unknown>;
  };
  storage: { sync: { get(k?: unknown): Promise<Record<string, unknown>>; set(v: object): Promise<void>; clear(): Promise<void> }; local: { get(k?: unknown): Promise<Record<string, unknown>> } };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
};
declare const chrome: Api;

/** An extension page kept open for API calls during a test file. */
export async function controlPage(session: Session): Promise<Tab> {
  return session.openExtension('options.html');
}

export function tabIdFor(control: Tab, url: string): Promise<number> {
  return control.evaluate(async (u) => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
    // Without the "tabs" permission tab URLs are hidden: ask each tab's content script where it is.
    const tabs = await api.tabs.query({});
    for (const tab of tabs) {
      if (tab.id === undefined) continue;
      const reply = (await api.tabs.sendMessage(tab.id, { type: 'getFindings' }, { frameId: 0 }).catch(() => null)) as { value?: { url?: string } } | null;
      if (reply?.value?.url === u) return tab.id;
    }
    throw new Error(`no tab with ${u}`);
  }, url);
}

export function toTab<T = unknown>(control: Tab, tabId: number, message: object): Promise<T> {
  return control.evaluate(
    async ({ tabId, message }) => {
      const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
      return api.tabs.sendMessage(tabId, message, { frameId: 0 });
    },
    { tabId, message },
  ) as Promise<T>;
}

export function toBackground<T = unknown>(control: Tab, message: object): Promise<T> {
  return control.evaluate(async (message) => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
    return api.runtime.sendMessage(message);
  }, message) as Promise<T>;
}

export function setSync(control: Tab, values: Record<string, unknown>): Promise<void> {
  return control.evaluate(async (values) => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
    await api.storage.sync.set(values);
  }, values);
}

export function clearSync(control: Tab): Promise<void> {
  return control.evaluate(async () => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
    await api.storage.sync.clear();
  });
}

export function getSync(control: Tab): Promise<Record<string, unknown>> {
  return control.evaluate(async () => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
    return api.storage.sync.get(null);
  });
}

export interface Findings {
  state: string;
  total: number;
  byTopic: Record<string, number>;
  findings: { topicId: string; text: string; sentence: string }[];
  capped: boolean;
}

export async function findings(control: Tab, tabId: number): Promise<Findings> {
  const reply = await toTab<{ ok: boolean; value: Findings }>(control, tabId, { type: 'getFindings' });
  return reply.value;
}

/** Badge text and tooltip of a tab, read from an extension page. */
export function badge(control: Tab, tabId: number): Promise<{ text: string; title: string }> {
  return control.evaluate(async (tabId) => {
    type ActionApi = { action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> } };
    const api = ((globalThis as unknown as { browser?: ActionApi }).browser ?? (globalThis as unknown as { chrome: ActionApi }).chrome) as ActionApi;
    return { text: await api.action.getBadgeText({ tabId }), title: await api.action.getTitle({ tabId }) };
  }, tabId);
}

/** Picks a file in a page's file input, as the browser does after the file dialog. */
export function pickFile(tab: Tab, selector: string, name: string, text: string): Promise<void> {
  return tab.evaluate(
    ({ selector, name, text }) => {
      const input = document.querySelector(selector) as HTMLInputElement;
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'application/json' }));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { selector, name, text },
  );
}

/** Visible text of an extension page's element (empty when absent). */
export function textOf(tab: Tab, selector: string): Promise<string> {
  return tab.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', selector);
}

/** Sends a message to the background from the page's content script (e2e build probe). */
export function fromContentScript<T = unknown>(tab: Tab, message: object): Promise<T> {
  return tab.evaluate(
    (json) =>
      new Promise<unknown>((done) => {
        window.addEventListener('counterpoint-e2e-reply', (e) => done(JSON.parse(String((e as CustomEvent<string>).detail))), { once: true });
        window.dispatchEvent(new CustomEvent('counterpoint-e2e-call', { detail: json }));
      }),
    JSON.stringify(message),
  ) as Promise<T>;
}

/** The content script's own work so far: busy time, longest uninterrupted slice, slices (e2e build probe). */
export function workStats(tab: Tab): Promise<{ busyMs: number; longestMs: number; slices: number }> {
  return tab.evaluate(
    () =>
      new Promise<{ busyMs: number; longestMs: number; slices: number }>((done) => {
        window.addEventListener('counterpoint-e2e-reply', (e) => done(JSON.parse(String((e as CustomEvent<string>).detail))), { once: true });
        window.dispatchEvent(new CustomEvent('counterpoint-e2e-stats'));
      }),
  );
}
