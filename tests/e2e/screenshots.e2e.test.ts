/**
 * The screenshots in docs/screenshots/ (with SCREENSHOTS=1, light and dark;
 * otherwise light only, to test-output/screenshots/), in both browsers, at 1280 and
 * 390 px: the card on a dispute sentence (first view, and opened with
 * "more"), calm highlights on the demo page, the popup at its real 600 px
 * height, and the settings page. Also the figures the README quotes: the
 * popup's height, where its switches start, and the pages' font sizes.
 *
 * And the stores' 1280×800 pictures (docs/store/ with SCREENSHOTS=1,
 * otherwise test-output/store/), light, in each browser: the card, the
 * popup over the page it summarises, the companion beside its article, and
 * the settings page.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { compose, pngSize } from './harness/compose';
import { sleep, until } from './harness/until';
import { untilCardShown } from './pages/companion';
import { PopupPage } from './pages/popup';
import { CARD_HOST, type ReaderPage } from './pages/reader';

const root = resolve(import.meta.dirname, '../..');
const shots = process.env.SCREENSHOTS ? join(root, 'docs/screenshots') : join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });
// The stores' 1280×800 pictures (docs/store/ when refreshing docs).
const store = process.env.SCREENSHOTS ? join(root, 'docs/store') : join(root, 'test-output/store');
const parts = join(root, 'test-output/store-parts');
mkdirSync(store, { recursive: true });
mkdirSync(parts, { recursive: true });

const WIDTHS = [
  [1280, 800],
  [390, 844],
] as const;

// Refreshing docs/screenshots takes both schemes. In `npm test` the light
// scheme keeps the figures checked (the dark card's contrast is asserted in
// tests/e2e/reading.e2e.test.ts), and the suite stays under ten minutes.
const SCHEMES = process.env.SCREENSHOTS ? (['light', 'dark'] as const) : (['light'] as const);

for (const scheme of SCHEMES) {
  describe.each(KINDS)(`%s, ${scheme}`, (kind) => {
    const browser = useBrowser(kind, { colorScheme: scheme });

    const dismissHint = () =>
      browser.control.evaluate(() => {
        type Api = { storage: { local: { set(v: object): Promise<void> } } };
        const g = globalThis as unknown as { browser?: Api; chrome?: Api };
        return (g.browser ?? g.chrome)!.storage.local.set({ cardHintDismissed: true });
      });
    const article = async (width: number, height: number) => {
      const page = await browser.open('/demo-article.html');
      await page.tab.setViewport(width, height);
      await page.settled(10);
      return page;
    };
    /** Pins the card of the training-cost claim, a dispute sentence, with a click. */
    const disputeCard = async (page: ReaderPage) => {
      const p = (await page.pointAt('DeepSeek', 'less than $6 million'))!;
      await page.tab.click(p.x, p.y);
      const card = await page.openCard('the training-cost card');
      expect(card.cardId).toBe('deepseek-training-cost');
      await page.tab.move(2, 2);
      await sleep(300);
      return card;
    };

    for (const [width, height] of WIDTHS) {
      it(`the card on a dispute sentence at ${width} px`, async () => {
        await dismissHint();
        const page = await article(width, height);
        await disputeCard(page);
        await page.tab.screenshot(join(shots, `card-${width}-${scheme}-${kind}.png`));
      });

      it(`calm highlights on the demo page at ${width} px`, async () => {
        const page = await article(width, height);
        await page.tab.evaluate(() => window.scrollTo(0, 0));
        await sleep(300);
        await page.tab.screenshot(join(shots, `highlights-${width}-${scheme}-${kind}.png`));
      });
    }

    it('the card opened with "more"', async () => {
      await dismissHint();
      const page = await article(1280, 900);
      await disputeCard(page);
      await page.tab.evaluate((selector) => (document.querySelector(selector)!.shadowRoot!.querySelector('.cp-more') as HTMLElement).focus(), CARD_HOST);
      await page.tab.press('Enter');
      await until(
        () => page.tab.evaluate((selector) => !!document.querySelector(selector)!.shadowRoot!.querySelector('.cp-more-body'), CARD_HOST),
        'more to open',
      );
      await sleep(300);
      await page.tab.screenshot(join(shots, `card-more-${scheme}-${kind}.png`));
    });

    it('the popup at its real 600 px height: switches at the top, and how tall it is', async () => {
      const page = await article(1280, 800);
      const tabId = await browser.tabId('/demo-article.html');
      void page;
      const popup = await PopupPage.open(browser.session, tabId);
      await popup.tab.setViewport(380, 600);
      await until(async () => {
        const list = await popup.topics();
        return list.length === 3 && list.every((t) => t.question) ? list : null;
      }, 'three topics with briefs');
      const m = await popup.tab.evaluate(() => {
        const px = (sel: string) => getComputedStyle(document.querySelector(sel)!).fontSize;
        return {
          height: document.documentElement.scrollHeight,
          switchesTop: document.querySelector('.switches')!.getBoundingClientRect().top,
          switchesBottom: document.querySelector('.switches')!.getBoundingClientRect().bottom,
          label: px('.switch'),
          side: px('.brief .side'),
          mention: px('.mention'),
        };
      });
      console.log(
        `[${kind} ${scheme}] popup: ${m.height} px tall; switches ${m.switchesTop}–${m.switchesBottom} px; fonts: switch ${m.label}, brief ${m.side}, mention ${m.mention}`,
      );
      expect(m.switchesBottom).toBeLessThan(160);
      expect(m.label).toBe('14px');
      expect(m.mention).toBe('14px');
      await sleep(200);
      await popup.screenshot(join(shots, `popup-${scheme}-${kind}.png`));
      await popup.close();
    });

    if (scheme === 'light')
      it('store pictures at 1280×800: the popup over its page, the companion beside its article, the settings', async () => {
        await dismissHint();
        const page = await article(1280, 800);
        await disputeCard(page);
        await page.tab.screenshot(join(store, `1-card-${kind}.png`));
        await page.closeCard();
        await page.tab.evaluate(() => {
          const p = [...document.querySelectorAll('p')].find((e) => e.textContent?.includes('less than $6 million'));
          p?.scrollIntoView({ block: 'start', behavior: 'instant' });
          window.scrollBy(0, -120);
        });
        await sleep(300);
        await page.tab.screenshot(join(parts, `article-1280-${kind}.png`));
        const tabId = await browser.tabId('/demo-article.html');
        const popup = await PopupPage.open(browser.session, tabId);
        await popup.tab.setViewport(380, 600);
        await until(async () => (await popup.topics()).length === 3, 'the popup’s three topics');
        await sleep(200);
        await popup.screenshot(join(parts, `popup-${kind}.png`));
        await popup.close();
        await compose(
          browser.control,
          1280,
          800,
          [
            { file: join(parts, `article-1280-${kind}.png`), x: 0, y: 0 },
            { file: join(parts, `popup-${kind}.png`), x: 1280 - 380 - 16, y: 8, raised: true },
          ],
          join(store, `2-popup-${kind}.png`),
        );

        await page.tab.front();
        await page.tab.setViewport(880, 800);
        await sleep(300);
        await page.tab.screenshot(join(parts, `article-880-${kind}.png`));
        const companion = await browser.session.openExtension(`sidepanel.html?tab=${tabId}`);
        await companion.setViewport(400, 800);
        await untilCardShown(companion);
        await sleep(300);
        await companion.screenshot(join(parts, `companion-${kind}.png`));
        await companion.close();
        await compose(
          browser.control,
          1280,
          800,
          [
            { file: join(parts, `article-880-${kind}.png`), x: 0, y: 0 },
            { file: join(parts, `companion-${kind}.png`), x: 880, y: 0, raised: true },
          ],
          join(store, `3-companion-${kind}.png`),
        );

        await browser.control.front();
        await browser.control.setViewport(1280, 800);
        await until(() => browser.control.evaluate(() => !!document.querySelector('[data-testid="dataset-version"]')), 'the settings page');
        await browser.control.screenshot(join(store, `4-settings-${kind}.png`));
        for (const name of ['1-card', '2-popup', '3-companion', '4-settings'])
          expect(pngSize(join(store, `${name}-${kind}.png`)), name).toEqual({ width: 1280, height: 800 });
      });

    it('the settings page, with every control at the 14 px body size', async () => {
      await browser.control.front();
      await browser.control.setViewport(1280, 1000);
      await until(() => browser.control.evaluate(() => !!document.querySelector('[data-testid="dataset-version"]')), 'the settings page');
      const sizes = await browser.control.evaluate(() =>
        ['label.switch', 'select', 'input[type="number"]', 'kbd', 'button', '.hint', 'h2', 'h1'].map((sel) => {
          const el = document.querySelector(sel);
          return `${sel} ${el ? getComputedStyle(el).fontSize : 'absent'}`;
        }),
      );
      console.log(`[${kind} ${scheme}] settings fonts: ${sizes.join(', ')}`);
      for (const s of sizes.filter((x) => /^(label|select|input|kbd|button) /.test(x))) expect(s).toMatch(/ 14px$/);
      await browser.control.screenshot(join(shots, `options-${scheme}-${kind}.png`));
    });
  });
}
