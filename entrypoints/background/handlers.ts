/**
 * The background is a map of named message handlers, one per call of the
 * protocol (lib/protocol.ts), typed so that a missing handler or a wrong reply
 * does not compile. `route` validates every request against its schema and
 * decides, from the sender alone, whether the caller is an extension page (may
 * write) or a content script (may only read, report its tab's count, and ask
 * for less of Counterpoint on its own page).
 */
import { openCompanionPanel } from '@/lib/companion';
import { browser, type Browser } from 'wxt/browser';
import { BACKGROUND_REQUESTS, CONTENT_CALLS, fail, ok, parseRequest, type BackgroundHandlers, type Result } from '@/lib/protocol';
import { isSiteOff, normalizeSite } from '@/lib/settings';
import { loadSettings, saveSettings } from '@/lib/settings-store';
import { DatasetError, NOTICES_KEY, type DatasetService } from './dataset-service';
import { setBadge } from './badge';

type Sender = Browser.runtime.MessageSender;
export type Handlers = BackgroundHandlers<Sender>;

export function createHandlers(data: DatasetService): Handlers {
  return {
    getIndex: () => data.termIndex(),
    getCards: ({ topicId }) => data.cardsFor(topicId),
    reportFindings: async ({ total }, sender) => {
      if (sender.tab?.id !== undefined && (sender.frameId ?? 0) === 0) await setBadge(sender.tab.id, total);
      return null;
    },
    muteTopic: async ({ topicId }) => {
      // Only a topic the dataset has: a page that drives a content script cannot fill settings with junk.
      if (!(await data.termIndex()).topics.some((t) => t.id === topicId)) throw new Error(`unknown topic "${topicId}"`);
      const settings = await loadSettings();
      if (!settings.topicsOff.includes(topicId)) await saveSettings({ topicsOff: [...settings.topicsOff, topicId] });
      return null;
    },
    muteSite: async (_req, sender) => {
      // The site comes from the sender, never from the message: the frame the
      // card was in (a card in an embedded frame mutes that frame's site).
      const site = senderSite(sender);
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
    openCompanion: async (_req, sender) => {
      const tab = sender.tab;
      if (tab?.id === undefined) throw new DatasetError('No tab to open the companion beside.');
      // First, with nothing awaited before it: both browsers open panels only
      // within the click that asked (Chromium carries it through the message).
      if (await openCompanionPanel({ windowId: tab.windowId })) return null;
      // Where the browser refuses (Firefox takes no click through a message),
      // the companion opens in a tab of its own, following this one.
      await browser.tabs.create({ url: browser.runtime.getURL(`/sidepanel.html?tab=${tab.id}`), index: tab.index + 1 });
      return null;
    },
    loadCard: async (_req, sender) => {
      // Into the frame that asked, and only a file of our own: the card's code.
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new DatasetError('No tab to add the card to.');
      await browser.scripting.executeScript({ target: { tabId, frameIds: [sender.frameId ?? 0] }, files: ['/card.js'] });
      return null;
    },
    loadApp: async (_req, sender) => {
      // Into the frame that asked, below the top (the top frame has them from the manifest), and only our
      // content script, after the sheet's code it reads from sheet.js (entrypoints/content/shared-sheet.ts).
      const tabId = sender.tab?.id;
      const frameId = sender.frameId;
      if (tabId === undefined || !frameId) throw new DatasetError('Only a frame below the top asks for the content script.');
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/sheet.js', '/content-scripts/content.js'] });
      return null;
    },
    getDatasetInfo: () => data.info(),
    importDataset: ({ text }) => data.importText(text),
    resetDataset: () => data.reset(),
    exportDataset: () => data.exportText(),
    getNotices: async () => ((await browser.storage.local.get(NOTICES_KEY))[NOTICES_KEY] as string[] | undefined) ?? [],
  };
}

/**
 * The site of the frame a message came from: its origin (which about:blank
 * and srcdoc frames inherit), else its URL, else its tab's. Firefox gives no
 * `origin`, and a sandboxed frame's is "null".
 */
export function senderSite(sender: Sender & { origin?: string }): string {
  for (const candidate of [sender.origin, sender.url, sender.tab?.url]) {
    if (candidate && /^https?:\/\//i.test(candidate)) return normalizeSite(candidate);
  }
  return '';
}

/** True when the message comes from one of our own pages (popup, options), not a content script. */
export function isExtensionPage(sender: Sender): boolean {
  const origin = browser.runtime.getURL('/');
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(origin);
}

export async function route(handlers: Handlers, message: unknown, sender: Sender): Promise<Result<unknown>> {
  if (sender.id !== browser.runtime.id) return fail('unknown sender');
  const page = isExtensionPage(sender);
  const parsed = parseRequest(BACKGROUND_REQUESTS, message, (type) =>
    page || CONTENT_CALLS.has(type) ? null : `refused: ${type} may only be called from an extension page`,
  );
  if (!parsed.ok) return fail(parsed.error);
  try {
    const handler = handlers[parsed.type] as (req: unknown, sender: Sender) => Promise<unknown>;
    return ok(await handler(parsed.req, sender));
  } catch (error) {
    const details = error instanceof DatasetError ? error.details : undefined;
    return fail((error as Error).message, details);
  }
}
