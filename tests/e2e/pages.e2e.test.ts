/**
 * The popup, the toolbar badge and the settings page, in both browsers:
 * what the popup summarises and its switches and states, the badge as the
 * page changes, dataset import (bad files change nothing), export and reset,
 * site list, styles, hover delay, the privacy policy page, accessibility and
 * screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { axeViolations } from './harness/axe';
import { badge, findings, getSync, toBackground } from './harness/ext';
import { sleep, until } from './harness/until';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { badgeText } from '../../lib/badge';

const root = resolve(import.meta.dirname, '../..');
// The screenshots in docs/ come from tests/e2e/screenshots.e2e.test.ts; these are for looking at a run.
const shots = join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });
const bundledText = readFileSync(join(root, 'lib/dataset/dataset.json'), 'utf8');
const bundled = JSON.parse(bundledText) as { version: string; cards: { id: string; topicId: string; summary: string }[]; sources: { url?: string }[] };

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  /** The demo article, scanned, with its tab id. */
  const article = async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    return { page, tabId: await browser.tabId('/demo-article.html') };
  };
  const options = () => new OptionsPage(browser.control);

  describe('popup', () => {
    it('summarises each topic: count, bar, and the best card with both sides', async () => {
      const { tabId } = await article();
      const popup = await PopupPage.open(browser.session, tabId);
      const f = await findings(browser.control, tabId);
      const topics = await until(async () => {
        const list = await popup.topics();
        return list.length === 3 && list.every((t) => t.question) ? list : null;
      }, 'three topics with briefs');
      const max = Math.max(...Object.values(f.byTopic));
      for (const topic of topics) {
        expect(topic.count).toContain(String(f.byTopic[topic.id]));
        expect(parseFloat(topic.bar)).toBeCloseTo((f.byTopic[topic.id]! / max) * 100, 0);
        expect(topic.yes.length, topic.id).toBeGreaterThan(10);
        expect(topic.no.length, topic.id).toBeGreaterThan(10);
      }
      await popup.screenshot(join(shots, `popup-${kind}.png`));
      const violations = await axeViolations(popup.tab);
      expect(violations, JSON.stringify(violations)).toEqual([]);
      await popup.close();
    });

    it('lists mentions with their sentences; clicking one scrolls to it and opens its card', async () => {
      const { page, tabId } = await article();
      const popup = await PopupPage.open(browser.session, tabId);
      const items = await popup.mentions();
      const f = await findings(browser.control, tabId);
      expect(items.length).toBe(f.findings.length);
      const target = f.findings.findIndex((x) => x.text === 'H800');
      expect(target).toBeGreaterThanOrEqual(0);
      expect(items[target]).toContain(f.findings[target]!.sentence.slice(0, 30));
      await page.tab.front();
      await popup.clickMention(target);
      const card = await page.openCard('the card of the clicked mention');
      expect(card.cardId).toMatch(/^export-controls-/);
    });

    it('switches a topic off from the popup, live', async () => {
      const { page, tabId } = await article();
      const popup = await PopupPage.open(browser.session, tabId);
      const before = (await page.topicTexts('export-controls')).length;
      expect(before).toBeGreaterThan(0);
      await popup.toggleTopic('export-controls');
      await until(async () => (await page.topicTexts('export-controls')).length === 0, 'export-control highlights to go');
      await popup.toggleTopic('export-controls');
      let after = -1;
      await until(
        async () => (after = (await page.topicTexts('export-controls')).length) >= before,
        `export-control highlights to return (${before} before)`,
      ).catch(async (error: Error) => {
        const stored = await getSync(browser.control);
        const shown = await popup.tab.evaluate(() => (document.querySelector('input[data-topic="export-controls"]') as HTMLInputElement).checked);
        throw new Error(`${error.message}; now ${after}, stored ${JSON.stringify(stored)}, switch checked ${shown}`);
      });
      await popup.close();
    });

    it('says when a page has no mentions, and when a page opted out', async () => {
      await browser.open('/blank.html');
      let popup = await PopupPage.open(browser.session, await browser.tabId('/blank.html'));
      expect(await popup.state()).toMatch(/does not mention/);
      await popup.close();

      const optedOut = await browser.open('/opted-out.html');
      popup = await PopupPage.open(browser.session, await browser.tabId('/opted-out.html'));
      expect(await popup.state()).toMatch(/asks extensions not to annotate/);
      expect(await optedOut.tab.evaluate(() => CSS.highlights.size)).toBe(0);
      await popup.close();
    });
  });

  describe('badge', () => {
    it('shows the mention count with a tooltip, and follows the page as it adds mentions', async () => {
      const { page, tabId } = await article();
      const f = await findings(browser.control, tabId);
      const first = await until(async () => {
        const b = await badge(browser.control, tabId);
        return b.text === badgeText(f.total) ? b : null;
      }, `badge ${f.total}`);
      expect(first.title).toContain(String(f.total));
      await page.tab.evaluate(() => {
        for (let i = 0; i < 3; i++) {
          const p = document.createElement('p');
          p.textContent = 'Late news: DeepSeek and the H800 chips again.';
          document.getElementById('article')!.append(p);
        }
      });
      const expected = badgeText(f.total + 6);
      await until(async () => (await findings(browser.control, tabId)).total === f.total + 6, `${f.total + 6} findings`);
      await until(async () => (await badge(browser.control, tabId)).text === expected, `badge ${expected}`);

      await browser.open('/blank.html');
      const blankId = await browser.tabId('/blank.html');
      await until(async () => (await findings(browser.control, blankId)).state === 'done', 'the blank page scanned');
      expect((await badge(browser.control, blankId)).text).toBe('');
    });
  });

  describe('settings page', () => {
    it('shows the dataset: version, counts, review date; and has no axe violations', async () => {
      await browser.control.front();
      expect(await options().datasetVersion()).toContain(bundled.version);
      expect(await options().datasetCounts()).toContain(`${bundled.cards.length} cards`);
      // Its reach in time: the oldest and newest dated facts, and the cards' as-of range.
      const coverage = await options().tab.evaluate(() => document.querySelector('[data-testid="dataset-coverage"]')?.textContent ?? '');
      expect(coverage).toMatch(/^\d{4}(-\d{2}){0,2} to \d{4}(-\d{2}){0,2}$/);
      expect(await options().tab.evaluate(() => document.querySelector('[data-testid="dataset-asof"]')?.textContent ?? '')).toMatch(
        /^as of \d{4}-\d{2}-\d{2} to as of/,
      );
      expect(await axeViolations(browser.control)).toEqual([]);
      await browser.control.screenshot(join(shots, `options-${kind}.png`));
    });

    it('links the privacy policy, which the extension shows from docs/privacy.md', async () => {
      await browser.control.front();
      const href = await browser.control.evaluate(() => document.querySelector('[data-testid="privacy-link"]')?.getAttribute('href') ?? '');
      expect(href).toBe(`${browser.session.extensionOrigin}/privacy.html`);
      const policy = await browser.session.openExtension('privacy.html');
      const shown = await until(
        () =>
          policy.evaluate(() => {
            const h1 = document.querySelector('h1')?.textContent;
            return h1
              ? { h1, lang: document.documentElement.lang, tables: document.querySelectorAll('table').length, text: document.body.textContent ?? '' }
              : null;
          }),
        'the policy',
      );
      const source = readFileSync(join(root, 'docs/privacy.md'), 'utf8');
      expect(shown.h1).toBe(/^# (.+)$/m.exec(source)![1]);
      expect(shown.lang).toBe('en');
      expect(shown.tables).toBe(2);
      for (const heading of source.matchAll(/^## (.+)$/gm)) expect(shown.text).toContain(heading[1]);
      expect(await axeViolations(policy)).toEqual([]);
      await policy.close();
    });

    it.each([
      ['malformed JSON', '{"schemaVersion": 1, "cards": [', /not valid JSON/],
      ['the wrong schema', JSON.stringify({ schemaVersion: 1, version: '2099.01.01' }), /topics|cards|reviewed/],
      ['a card about a missing topic', 'missing-topic', /unknown topic "no-such-topic"/],
      ['a javascript: link', 'javascript-link', /https/],
    ])('rejects a file with %s, says where, and changes nothing', async (_what, content, message) => {
      let text = content;
      if (content === 'missing-topic' || content === 'javascript-link') {
        const data = JSON.parse(bundledText);
        data.version = '2099.01.01';
        if (content === 'missing-topic') data.cards[0].topicId = 'no-such-topic';
        else data.sources.find((s: { url?: string }) => s.url).url = 'javascript:alert(1)';
        text = JSON.stringify(data);
      }
      const before = await options().datasetVersion();
      await options().importFile('dataset.json', text);
      expect(await options().error()).toMatch(message);
      expect(await options().datasetVersion()).toBe(before);
      const info = await toBackground<{ ok: boolean; value: { version: string } }>(browser.control, { type: 'getDatasetInfo' });
      expect(info.value.version).toBe(bundled.version);
    });

    it('imports a valid file in one go (cards update in open tabs), exports it, and resets to the bundled data', async () => {
      const { page } = await article();
      const data = JSON.parse(bundledText);
      data.version = '2099.01.01';
      const card = data.cards.find((c: { id: string }) => c.id === 'deepseek-training-cost');
      card.summary = 'Imported summary: the figure covered the final training run only.';
      await options().importFile('mine.json', JSON.stringify(data));
      await until(async () => (await options().datasetVersion()).includes('2099.01.01'), 'the imported version');

      const exported = await toBackground<{ ok: boolean; value: string }>(browser.control, { type: 'exportDataset' });
      expect(JSON.parse(exported.value).version).toBe('2099.01.01');

      await page.tab.front();
      const shown = await until(async () => {
        const c = await page.hover('DeepSeek', 'less than $6 million');
        if (c.text.includes('Imported summary')) return c;
        await page.closeCard();
        return null;
      }, 'the imported card in the open tab');
      expect(shown.text).toContain('Imported summary');
      await page.closeCard();

      await options().reset();
      await until(async () => (await options().datasetVersion()).includes(bundled.version), 'the bundled version again');
    });

    it('turns Counterpoint off for a site from the site list, and on again', async () => {
      const { page, tabId } = await article();
      await options().addSite('127.0.0.1');
      await until(async () => (await page.texts()).length === 0, 'highlights to go on the muted site');
      expect((await findings(browser.control, tabId)).state).toBe('off-site');
      expect(await page.tab.evaluate(() => document.adoptedStyleSheets.length), 'no stylesheet of ours on a muted site').toBe(0);
      await options().removeFirstSite();
      await page.settled(10);
      expect(await page.drawnRules()).toMatch(/dotted/);
    });

    it('changes a topic style live', async () => {
      const { page } = await article();
      const css = () => page.drawnRules();
      expect(await css()).toMatch(/text-decoration[^;]*dotted/);
      // The soft tint: 26% for first mentions, 10% for repeats; the dotted style has neither.
      await options().setStyle(0, 'background');
      await until(async () => /26%/.test(await css()), 'the background style');
      await options().setStyle(0, 'dotted');
      await until(async () => !/26%/.test(await css()), 'the dotted style again');
    });

    it('applies a longer hover delay', async () => {
      const { page } = await article();
      await options().setHoverDelay(1500);
      await until(async () => (await getSync(browser.control)).hoverDelayMs === 1500, 'the delay saved');
      await sleep(300);
      await page.tab.front();
      const started = Date.now();
      await page.hover('H800', 'slower links');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    });

    it('saves only what the user changed', async () => {
      await options().setHoverDelay(700);
      await until(async () => (await getSync(browser.control)).hoverDelayMs === 700, 'the delay saved');
      await options().setHoverDelay(400);
      await until(async () => !('hoverDelayMs' in (await getSync(browser.control))), 'the default removed from storage');
      // Only the schema marker may remain.
      expect(Object.keys(await getSync(browser.control)).filter((k) => !/version/i.test(k))).toEqual([]);
    });
  });
});
