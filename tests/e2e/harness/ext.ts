/**
 * Talking to the extension from one of its own pages (a "control" tab on the
 * settings page), the way the popup and the settings page do: tab lookup,
 * messages to a tab's content script or to the background, settings storage,
 * the badge.
 */
import type { PageFindings } from '../../../lib/protocol';
import type { Session, Tab } from './browsers';
import { until } from './until';

type Api = {
  tabs: {
    query(q: object): Promise<{ id?: number; url?: string }[]>;
    sendMessage(id: number, m: unknown, o?: object): Promise<unknown>;
  };
  storage: { sync: { get(k?: unknown): Promise<Record<string, unknown>>; set(v: object): Promise<void>; clear(): Promise<void> } };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
};
declare const chrome: Api;

/** An extension page kept open for API calls during a test file. */
export function controlPage(session: Session): Promise<Tab> {
  return session.openExtension('options.html');
}

/** The id of the tab showing `url` (asked of each tab's content script: tab URLs are hidden without the "tabs" permission). */
export function tabIdFor(control: Tab, url: string): Promise<number> {
  return until(
    () =>
      control.evaluate(async (u) => {
        const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
        for (const tab of await api.tabs.query({})) {
          if (tab.id === undefined) continue;
          const reply = (await api.tabs.sendMessage(tab.id, { type: 'getFindings' }, { frameId: 0 }).catch(() => null)) as { value?: { url?: string } } | null;
          if (reply?.value?.url === u) return tab.id;
        }
        return null;
      }, url),
    `the content script of a tab on ${url}`,
  );
}

export function toTab<T = unknown>(control: Tab, tabId: number, message: object): Promise<T> {
  return control.evaluate(
    ({ tabId, message }) => {
      const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
      return api.tabs.sendMessage(tabId, message, { frameId: 0 });
    },
    { tabId, message },
  ) as Promise<T>;
}

export function toBackground<T = unknown>(control: Tab, message: object): Promise<T> {
  return control.evaluate((message) => {
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

export async function findings(control: Tab, tabId: number): Promise<PageFindings> {
  const reply = await toTab<{ ok: boolean; value: PageFindings; error?: string }>(control, tabId, { type: 'getFindings' });
  if (!reply?.ok) throw new Error(`getFindings failed: ${reply?.error}`);
  return reply.value;
}

/** Badge text and tooltip of a tab, read from an extension page. */
export function badge(control: Tab, tabId: number): Promise<{ text: string; title: string }> {
  return control.evaluate(async (tabId) => {
    const api = ((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api;
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

/** Visible text of an element (empty when absent). */
export function textOf(tab: Tab, selector: string): Promise<string> {
  return tab.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', selector);
}
