/**
 * The background is a map of named message handlers. Each handler receives
 * the validated message and the sender; `route` decides, from the sender
 * alone, whether the caller is an extension page (may write) or a content
 * script (may only read, report its tab's findings, and ask for less of
 * Counterpoint on its own page).
 */
import { browser, type Browser } from 'wxt/browser';
import { CONTENT_CALLS, fail, ok, type PageToBackground, type Result } from '@/lib/protocol';
import { isSiteOff, normalizeSite } from '@/lib/settings';
import { loadSettings, saveSettings } from '@/lib/settings-store';
import { DatasetError, NOTICES_KEY, type DatasetService } from './dataset-service';
import { setBadge } from './badge';

type Sender = Browser.runtime.MessageSender;
type Handlers = {
  [K in keyof PageToBackground]: (
    req: PageToBackground[K]['req'],
    sender: Sender,
  ) => Promise<PageToBackground[K]['res']>;
};

export function createHandlers(data: DatasetService): Handlers {
  return {
    getIndex: () => data.termIndex(),
    getCards: ({ topicId }) => data.cardsFor(String(topicId)),
    reportFindings: async ({ total }, sender) => {
      if (sender.tab?.id !== undefined && (sender.frameId ?? 0) === 0) await setBadge(sender.tab.id, Number(total) || 0);
      return null;
    },
    muteTopic: async ({ topicId }) => {
      const settings = await loadSettings();
      if (!settings.topicsOff.includes(String(topicId))) {
        await saveSettings({ topicsOff: [...settings.topicsOff, String(topicId)] });
      }
      return null;
    },
    muteSite: async (_req, sender) => {
      // The site comes from the sender's tab, never from the message.
      const site = normalizeSite(sender.tab?.url ?? sender.url ?? '');
      if (!site) throw new DatasetError('This page has no site to turn off.');
      const settings = await loadSettings();
      if (!isSiteOff(settings, site)) await saveSettings({ sitesOff: [...settings.sitesOff, site] });
      return null;
    },
    openSummary: async (_req, sender) => {
      try {
        await browser.action.openPopup();
      } catch {
        const tab = sender.tab?.id;
        await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html${tab === undefined ? '' : `?tab=${tab}`}`) });
      }
      return null;
    },
    getDatasetInfo: () => data.info(),
    importDataset: ({ text }) => data.importText(String(text)),
    resetDataset: () => data.reset(),
    exportDataset: () => data.exportText(),
    getNotices: async () => ((await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[] | undefined) ?? [],
  };
}

/** True when the message comes from one of our own pages (popup, options), not a content script. */
export function isExtensionPage(sender: Sender): boolean {
  const origin = browser.runtime.getURL('/');
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(origin);
}

export async function route(handlers: Handlers, message: unknown, sender: Sender): Promise<Result<unknown>> {
  if (!message || typeof message !== 'object' || typeof (message as { type?: unknown }).type !== 'string') {
    return fail('malformed message');
  }
  const { type, ...req } = message as { type: string };
  if (sender.id !== browser.runtime.id) return fail('unknown sender');
  if (!Object.hasOwn(handlers, type)) return fail(`unknown call: ${type}`);
  if (!isExtensionPage(sender) && !CONTENT_CALLS.has(type as never)) {
    return fail(`refused: ${type} may only be called from an extension page`);
  }
  try {
    const handler = handlers[type as keyof Handlers] as (req: unknown, sender: Sender) => Promise<unknown>;
    return ok(await handler(req, sender));
  } catch (error) {
    const details = error instanceof DatasetError ? error.details : undefined;
    return fail((error as Error).message, details);
  }
}
