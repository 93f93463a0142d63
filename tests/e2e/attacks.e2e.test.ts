/**
 * Attacks by a hostile page, one fixture per finding of the security review
 * (tests/fixtures/hostile/attack-*.html), each shown failing in both
 * browsers: taking over the card, opening it with synthetic events, learning
 * the extension's id, switching the script off, spoofing highlights through
 * the shared registry, an oversized dataset import, and site-off in frames
 * that have no hostname of their own.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { findings, getSync, setSync } from './harness/ext';
import { sleep, until } from './harness/until';
import { OptionsPage } from './pages/options';
import { DATASET_LIMITS } from '../../lib/limits';

type Api = { runtime: { id: string }; tabs: { query(q: object): Promise<unknown[]> } };
declare const chrome: Api;

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  const extensionId = () => browser.control.evaluate(() => (((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api).runtime.id);
  const tabCount = () =>
    browser.control.evaluate(async () => (await (((globalThis as unknown as { browser?: Api }).browser ?? chrome) as Api).tabs.query({})).length);

  it('a page that predefines and upgrades custom elements neither reads nor changes the card, and its clicks do nothing', async () => {
    const page = await browser.open('/hostile/attack-card-takeover.html');
    await page.settled(3);
    const tabsBefore = await tabCount();
    const card = await page.hover('DeepSeek', 'alleged distillation');
    // The card rendered: both sides, each with its mark.
    expect(card.text).toMatch(/◆[\s\S]*◇/);
    // Let the page do its worst while the card is open.
    await until(
      async () => (await page.tab.evaluate(() => (globalThis as unknown as { __attack: { upgraded: string[] } }).__attack.upgraded.length)) > 0,
      'the page to define the host’s name',
    );
    await sleep(1000);
    const attack = await page.tab.evaluate(
      () => (globalThis as unknown as { __attack: { internalsRoots: number; readChars: number; rewrites: number; clicks: number; errors: string[] } }).__attack,
    );
    console.log(`[attack ${kind}] card takeover: ${JSON.stringify(attack)}`);
    // No root reached through ElementInternals, nothing read or rewritten.
    expect(attack.internalsRoots).toBe(0);
    expect(attack.readChars).toBe(0);
    expect(attack.rewrites).toBe(0);
    // The test build's root is open, so the page could click every button: none of them acted.
    expect(attack.clicks).toBeGreaterThan(0);
    const after = await page.card();
    expect(after.open).toBe(true);
    expect(after.cardId).toBe(card.cardId);
    expect(after.text).toBe(card.text);
    expect(await getSync(browser.control)).toEqual({});
    expect(await tabCount()).toBe(tabsBefore);
    // The release build attaches the root closed: the page sees no root at all there (tests/build/bundle.test.ts).
  });

  it('synthetic pointer, mouse and keyboard events never open a card', async () => {
    const page = await browser.open('/hostile/attack-synthetic-events.html');
    await page.settled(3);
    await page.tab.move(2, 2);
    await sleep(2500);
    const dispatched = await page.tab.evaluate(() => (globalThis as unknown as { __attack: { dispatched: number } }).__attack.dispatched);
    expect(dispatched).toBeGreaterThan(100);
    expect(await page.hostCount()).toBe(0);
    expect((await page.card()).open).toBe(false);
    // The same mention opens for a real pointer: the page's events were refused, not the mention.
    await page.tab.evaluate(() => void ((globalThis as unknown as { __attack: { running: boolean } }).__attack.running = false));
    const card = await page.hover('DeepSeek', 'alleged distillation');
    expect(card.cardId).toBeTruthy();
  });

  it('posts nothing to the page or its frames: no id, no start message', async () => {
    const page = await browser.open('/hostile/attack-id-post.html');
    await page.settled(2);
    const tabId = await browser.tabId('/hostile/attack-id-post.html');
    await until(async () => (await findings(browser.control, tabId)).state === 'done', 'the scan to finish');
    // The frame's own content script has run too.
    await until(
      () =>
        page.tab.evaluate(
          () => ((document.getElementById('child') as HTMLIFrameElement).contentWindow as unknown as { CSS: typeof CSS }).CSS.highlights.size > 0,
        ),
      'the frame highlighted',
    );
    const id = await extensionId();
    const heard = await page.tab.evaluate(() => ({
      top: (globalThis as unknown as { __messages: string[] }).__messages,
      frame: ((document.getElementById('child') as HTMLIFrameElement).contentWindow as unknown as { __messages: string[] }).__messages,
      markup: document.documentElement.outerHTML,
    }));
    expect(heard.top).toEqual([]);
    expect(heard.frame).toEqual([]);
    expect(heard.markup).not.toContain(id);
  });

  it('keeps running after a forged shutdown announcement, and the popup still tells the truth', async () => {
    const page = await browser.open('/hostile/attack-forged-shutdown.html');
    await page.settled(3);
    const tabId = await browser.tabId('/hostile/attack-forged-shutdown.html');
    const id = await extensionId();
    await page.tab.evaluate((id) => (globalThis as unknown as { forgeShutdown(id: string): string }).forgeShutdown(id), id);
    await page.tab.evaluate(() => (globalThis as unknown as { forgeShutdown(id: string): string }).forgeShutdown('undefined'));
    await sleep(500);
    // Still alive: new text is scanned and the tab still answers.
    await page.tab.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Later, OpenAI alleged distillation of its models by DeepSeek.';
      document.getElementById('more')!.append(p);
    });
    await until(async () => (await page.texts()).includes('distillation'), 'the paragraph added after the forged event to be highlighted');
    const f = await findings(browser.control, tabId);
    expect(f.state).toBe('done');
    expect(f.total).toBeGreaterThanOrEqual(5);
  });

  it('a range the page adds to, swaps into or substitutes for our highlights is neither kept nor hit-tested', async () => {
    const page = await browser.open('/hostile/attack-spoof-ranges.html');
    await page.settled(3);
    const names = await page.names();
    // Names say nothing about the extension or the reader's settings.
    for (const [topic, name] of Object.entries(names)) {
      expect(name).toMatch(/^[a-z]{12}$/);
      expect(name).not.toContain(topic);
    }
    await page.tab.evaluate(() => void ((globalThis as unknown as { __attack: { running: boolean } }).__attack.running = true));
    await until(
      async () => (await page.tab.evaluate(() => (globalThis as unknown as { __attack: { rounds: number } }).__attack.rounds)) >= 3,
      'the page to spoof',
    );
    // While the page keeps adding its range, a reader resting on the bait gets no card.
    const bait = await page.pointAt('the other candidate');
    await page.tab.move(bait!.x - 30, bait!.y + 30);
    await page.tab.move(bait!.x, bait!.y, 5);
    await sleep(1500);
    expect((await page.card()).open).toBe(false);
    expect(await page.hostCount()).toBe(0);
    // Once it stops, the once-a-second repair leaves our highlights holding only what we put there.
    await page.tab.evaluate(() => void ((globalThis as unknown as { __attack: { running: boolean } }).__attack.running = false));
    await until(async () => {
      const texts = Object.values(await page.highlights()).flat();
      return texts.length >= 3 && !texts.some((t) => t.includes('candidate'));
    }, 'our highlights to hold only our ranges').catch(async (error: Error) => {
      throw new Error(
        `${error.message}: ${JSON.stringify(await page.highlights())} names ${JSON.stringify(await page.names())} registry ${JSON.stringify(await page.tab.evaluate(() => [...CSS.highlights.keys()]))}`,
      );
    });
    expect((await page.texts()).sort()).toEqual(['DeepSeek', 'H800', 'R1', 'distillation', 'export controls'].sort());
    // A new page load: new names.
    const again = await browser.open('/hostile/attack-spoof-ranges.html');
    await again.settled(3);
    const second = await again.names();
    for (const topic of Object.keys(names)) expect(second[topic]).not.toBe(names[topic]);
  });

  it('refuses an oversized dataset import with a clear message, and changes nothing', async () => {
    const options = new OptionsPage(await browser.session.openExtension('options.html'));
    const version = await options.datasetVersion();
    const counts = await options.datasetCounts();
    const huge = JSON.stringify({ schemaVersion: 1, padding: 'x'.repeat(DATASET_LIMITS.fileChars) });
    await options.importFile('huge.json', huge);
    const error = await options.error();
    expect(error).toMatch(/nothing was changed/);
    expect(await options.tab.evaluate(() => document.body.textContent ?? '')).toMatch(/the file is 5\.\d MB; a dataset can be at most 5\.0 MB/);
    await options.tab.close();
    // A fresh settings page reads what is stored now. (Not a reload by URL:
    // in Firefox the harness reaches extension pages through a test-site
    // page, whose URL the tab keeps reporting.)
    const fresh = new OptionsPage(await browser.session.openExtension('options.html'));
    expect(await fresh.datasetVersion()).toBe(version);
    expect(await fresh.datasetCounts()).toBe(counts);
    await fresh.tab.close();
  });

  it('"off on this site" holds in about:blank and srcdoc frames, which have no hostname of their own', async () => {
    const frameRanges = (page: { tab: { evaluate: <R>(fn: () => R) => Promise<R> } }) =>
      page.tab.evaluate(() =>
        ['srcdoc', 'blank'].map((id) => {
          const win = (document.getElementById(id) as HTMLIFrameElement).contentWindow as unknown as { CSS: typeof CSS };
          return [...win.CSS.highlights.values()].reduce((n, h) => n + (h as Highlight).size, 0);
        }),
      );
    // On: the top page and both frames are highlighted (so "nothing" below means something).
    const on = await browser.open('/hostile/attack-frames-site-off.html');
    await on.settled(3);
    await until(async () => (await frameRanges(on)).every((n) => n > 0), 'both frames highlighted while the site is on').catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await frameRanges(on))}`);
    });
    await on.tab.close();
    // Off for the test site: nothing anywhere, frames included.
    await setSync(browser.control, { sitesOff: [new URL(browser.origin).hostname] });
    const off = await browser.open('/hostile/attack-frames-site-off.html');
    await off.loadedAndQuiet(2500);
    expect(await off.rangeCount()).toBe(0);
    expect(await frameRanges(off)).toEqual([0, 0]);
    const tabId = await browser.tabId('/hostile/attack-frames-site-off.html');
    expect((await findings(browser.control, tabId)).total).toBe(0);
  });
});
