/**
 * Faults, security and privacy, in both browsers: content scripts cannot
 * write; the background stopped mid-session (service worker killed, event page
 * unloaded); the database deleted or half-written; the extension reloaded under
 * open tabs; a storage quota error; and, over the whole session, no request
 * from any part of the extension.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { foreignRequests } from './harness/browsers';
import { badge, controlPage, findings, textOf, toBackground } from './harness/ext';
import { sleep, until } from './harness/until';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { badgeText } from '../../lib/badge';

const bundled = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '../..'), 'lib/dataset/dataset.json'), 'utf8')) as {
  version: string;
  cards: unknown[];
};

type Reply = { ok: boolean; error?: string; value?: unknown };

/** Every highlight range on a page: the tests' pages have none of their own, so these are ours, old or new. */
const allRanges = (tab: { evaluate<R>(fn: () => R): Promise<R> }) =>
  tab.evaluate(() => [...CSS.highlights.values()].reduce((n, h) => n + (h as Highlight).size, 0));

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind, {}, { fresh: true });

  /** A fresh article tab (its content script has no cards cached yet). */
  const freshArticle = async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    return page;
  };

  it('refuses writes (and page-only reads) sent from a content script', async () => {
    const article = await freshArticle();
    for (const message of [
      { type: 'importDataset', text: JSON.stringify({ ...bundled, version: '2099.01.01' }) },
      { type: 'resetDataset' },
      { type: 'exportDataset' },
      { type: 'getDatasetInfo' },
    ]) {
      const reply = await article.fromContentScript<Reply>(message);
      expect(reply.ok, message.type).toBe(false);
      expect(reply.error, message.type).toMatch(/refused/);
    }
    // What content scripts may do still works from the same context.
    const cards = await article.fromContentScript<Reply>({ type: 'getCards', topicId: 'deepseek' });
    expect(cards.ok).toBe(true);
    expect((cards.value as unknown[]).length).toBeGreaterThan(0);
    const info = await toBackground<Reply>(browser.control, { type: 'getDatasetInfo' });
    expect((info.value as { version: string }).version).toBe(bundled.version);
  });

  it('keeps hover, popup and badge working after the background is stopped', async () => {
    const article = await freshArticle();
    const tabId = await browser.tabId('/demo-article.html');
    await browser.session.stopBackground();
    // Hover needs cards from the background: it wakes up and answers.
    const card = await article.hover('H800', 'slower links');
    expect(card.cardId).toMatch(/^export-controls-/);
    await article.closeCard();

    await browser.session.stopBackground();
    const popup = await PopupPage.open(browser.session, tabId);
    await until(async () => (await popup.topics()).filter((t) => t.question).length === 3, 'the popup briefs');
    await popup.close();

    await browser.session.stopBackground();
    const before = (await findings(browser.control, tabId)).total;
    await article.tab.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Update: DeepSeek again.';
      document.getElementById('article')!.append(p);
    });
    await until(async () => (await badge(browser.control, tabId)).text === badgeText(before + 1), 'the badge to follow');
  });

  it('rebuilds a deleted database from the bundled data, keeps settings, and tells the reader', async () => {
    await new OptionsPage(browser.control).setHoverDelay(450);
    await until(
      async () => (await browser.control.evaluate(() => (document.querySelector('input[type="number"]') as HTMLInputElement).value)) === '450',
      'the delay shown',
    );
    const deleted = await browser.control.evaluate(
      () =>
        new Promise<string>((done) => {
          const request = indexedDB.deleteDatabase('counterpoint');
          request.onsuccess = () => done('deleted');
          request.onerror = () => done(`error: ${request.error?.message}`);
          request.onblocked = () => done('blocked');
        }),
    );
    expect(deleted).toBe('deleted');
    const article = await freshArticle();
    const card = await article.hover('distillation', 'some evidence');
    expect(card.cardId).toBe('distillation-openai-allegation');

    const options = await browser.session.openExtension('options.html');
    const notice = await until(() => textOf(options, '.notice'), 'the notice');
    expect(notice).toMatch(/missing|could not be read|incomplete/);
    expect(await options.evaluate(() => (document.querySelector('input[type="number"]') as HTMLInputElement).value)).toBe('450');
    expect(await textOf(options, '[data-testid="dataset-counts"]')).toContain(`${bundled.cards.length} cards`);
    await options.close();
  });

  it('repairs a half-written database (a store emptied mid-write)', async () => {
    const emptied = await browser.control.evaluate(
      () =>
        new Promise<string>((done) => {
          const open = indexedDB.open('counterpoint');
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('cards', 'readwrite');
            tx.objectStore('cards').clear();
            tx.oncomplete = () => {
              db.close();
              done('cleared');
            };
            tx.onerror = () => done(`error: ${tx.error?.message}`);
          };
          open.onerror = () => done(`error: ${open.error?.message}`);
        }),
    );
    expect(emptied).toBe('cleared');
    const article = await freshArticle();
    const card = await article.hover('DeepSeek', 'US Navy');
    expect(card.cardId).toBe('deepseek-security-risk');
    const info = await toBackground<Reply>(browser.control, { type: 'getDatasetInfo' });
    expect((info.value as { cards: number }).cards).toBe(bundled.cards.length);
  });

  it('reports a storage quota error clearly and keeps the last saved settings', async () => {
    const options = await browser.session.openExtension('options.html');
    await until(() => options.evaluate(() => !!document.querySelector('form input[type="text"]')), 'the settings form');
    const long = 'a'.repeat(240);
    let error = '';
    for (let i = 0; i < 60 && !error; i++) {
      await options.evaluate((host) => {
        const input = document.querySelector('form input[type="text"]') as HTMLInputElement;
        input.value = host;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, `${long}${i}.example`);
      await options.evaluate(() => (document.querySelector('form button[type="submit"]') as HTMLButtonElement).click());
      await sleep(60);
      error = await textOf(options, '.error');
    }
    expect(error).toMatch(/quota|too (big|large)|exceed/i);
    // What was saved before the refusal is still there.
    const stored = await options.evaluate(async () => {
      type Api = { storage: { sync: { get(k: string): Promise<Record<string, unknown>> } } };
      const api = ((globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome) as Api;
      return ((await api.storage.sync.get('sitesOff')).sitesOff as string[] | undefined)?.length ?? 0;
    });
    expect(stored).toBeGreaterThan(10);
    const shown = await options.evaluate(() => document.querySelectorAll('.sites li').length);
    expect(shown).toBe(stored);
    // Clean up through the page, one by one is slow: clear the list in storage.
    await options.evaluate(async () => {
      type Api = { storage: { sync: { remove(k: string): Promise<void> } } };
      const api = ((globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome) as Api;
      await api.storage.sync.remove('sitesOff');
    });
    await options.close();
  });

  it('made no network request from any part of the extension during the session', async () => {
    // A session's worth of reading: an article, a hover, the popup.
    const article = await freshArticle();
    await article.hover('DeepSeek', 'US Navy');
    const popup = await PopupPage.open(browser.session, await browser.tabId('/demo-article.html'));
    await popup.close();
    expect(foreignRequests(browser.session)).toEqual([]);
    // The recorder does see the extension's own traffic: a deliberate request from an extension page shows up.
    const page = await controlPage(browser.session);
    await page.evaluate(() => fetch('http://counterpoint-probe.invalid/x').catch(() => undefined));
    await until(async () => foreignRequests(browser.session).some((r) => r.url.includes('counterpoint-probe.invalid')), 'the probe request in the log');
    await page.close();
  });
});

// Reloading the extension ends every extension page of the session, the
// control page included, so it gets a browser of its own.
describe.each(KINDS)('%s, extension reload', (kind) => {
  const browser = useBrowser(kind, {}, { fresh: true });

  it('an extension reload leaves open tabs with one working set of highlights and no errors', async () => {
    const article = await browser.open('/demo-article.html');
    await article.settled(10);
    const count = await allRanges(article.tab);
    expect(count).toBeGreaterThan(0);
    await browser.control.evaluate(() => {
      type Api = { runtime: { reload(): void } };
      const api = ((globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome) as Api;
      setTimeout(() => api.runtime.reload(), 50);
    });
    if (kind === 'chromium') {
      // Chromium does not inject the new version into open tabs: the orphaned
      // script notices (WXT's context check) and takes its highlights away.
      await until(async () => (await allRanges(article.tab)) === 0, 'the old highlights to go', 20_000);
      // Its listeners are gone too: resting on a former mention opens nothing and throws nothing.
      const p = await article.pointAt('H800', 'slower links');
      await article.tab.move(p!.x, p!.y, 3);
      await sleep(1200);
      expect((await article.card()).open).toBe(false);
      expect(article.tab.errors).toEqual([]);
      // Headless Chromium does not bring back an extension loaded from the
      // command line after runtime.reload(), so the new version is checked in Firefox.
      return;
    }
    // Firefox unloads the old script and injects the new version into open
    // tabs: one set of highlights, not two.
    await until(
      async () => (await allRanges(article.tab)) === count && (await article.names().catch(() => null)) !== null,
      'one set of highlights from the new script',
      20_000,
    );
    await sleep(2000);
    expect(await allRanges(article.tab)).toBe(count);
    expect(article.tab.errors).toEqual([]);
    await until(() => controlPage(browser.session).catch(() => null), 'the extension to come back', 20_000);
    await article.tab.goto('/demo-article.html');
    await article.settled(10);
    expect(await allRanges(article.tab)).toBe(count);
    expect(article.tab.errors).toEqual([]);
    expect((await article.hover('H800', 'slower links')).open).toBe(true);
  });
});
