/**
 * The popup, the toolbar badge and the settings page, in both browsers:
 * what the popup summarises and its switches and states, the badge as the
 * page changes, dataset import (bad files change nothing), export and reset,
 * site list, styles, hover delay, accessibility and screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, launch, startTestSite, type Kind, type Session, type Tab } from './harness/browsers';
import { badge, controlPage, findings, pickFile, tabIdFor, textOf, toBackground } from './harness/ext';
import { axeViolations } from './harness/axe';
import { cardState, highlightedTexts, highlights, hoverOpen, settled, sleep, topicTexts, waitUntil } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';
import { badgeText } from '../../lib/badge';

const root = resolve(import.meta.dirname, '../..');
const shots = process.env.SCREENSHOTS ? join(root, 'docs/screenshots') : join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });
const bundledText = readFileSync(join(root, 'lib/dataset/dataset.json'), 'utf8');
const bundled = JSON.parse(bundledText) as { version: string; cards: { id: string; topicId: string; summary: string }[]; sources: { url?: string }[] };

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

describe.each(KINDS)('%s', (kind: Kind) => {
  let session: Session;
  let article: Tab;
  let options: Tab;
  let articleTabId: number;
  const articleUrl = () => `${site.origin}/demo-article.html`;

  const openPopup = async (tabId: number) => {
    const popup = await session.openExtension(`popup.html?tab=${tabId}`);
    await waitUntil(() => popup.evaluate(() => !!document.querySelector('.topics, .state')), 'the popup content');
    return popup;
  };
  const datasetVersion = () => textOf(options, '[data-testid="dataset-version"]');

  beforeAll(async () => {
    session = await launch(kind, site);
    options = await controlPage(session);
    article = await session.open('/demo-article.html');
    await settled(article, 10);
    articleTabId = await tabIdFor(options, articleUrl());
  });
  afterAll(async () => {
    await session?.close();
  });

  describe('popup', () => {
    it('summarises each topic: count, bar, and the best card with both sides', async () => {
      const popup = await openPopup(articleTabId);
      const f = await findings(options, articleTabId);
      const topics = await waitUntil(
        () =>
          popup.evaluate(() =>
            [...document.querySelectorAll('.topics .topic')].map((li) => ({
              id: li.getAttribute('data-topic')!,
              count: li.querySelector('.count')?.textContent ?? '',
              bar: (li.querySelector('.bar > span') as HTMLElement | null)?.style.width ?? '',
              question: li.querySelector('.brief .q')?.textContent ?? '',
              yes: li.querySelector('.side.yes')?.textContent ?? '',
              no: li.querySelector('.side.no')?.textContent ?? '',
            })),
          ).then((list) => (list.length === 3 && list.every((t) => t.question) ? list : null)),
        'three topics with briefs',
      );
      const max = Math.max(...Object.values(f.byTopic));
      for (const topic of topics) {
        expect(topic.count).toContain(String(f.byTopic[topic.id]));
        expect(parseFloat(topic.bar)).toBeCloseTo((f.byTopic[topic.id]! / max) * 100, 0);
        expect(topic.yes.length, topic.id).toBeGreaterThan(10);
        expect(topic.no.length, topic.id).toBeGreaterThan(10);
      }
      await popup.screenshot(join(shots, `popup-${kind}.png`));
      const violations = await axeViolations(popup);
      expect(violations, JSON.stringify(violations)).toEqual([]);
      await popup.close();
    });

    it('lists mentions with their sentences; clicking one scrolls to it and opens its card', async () => {
      const popup = await openPopup(articleTabId);
      const items = await popup.evaluate(() => [...document.querySelectorAll('.mentions .mention')].map((el) => el.textContent ?? ''));
      const f = await findings(options, articleTabId);
      expect(items.length).toBe(f.findings.length);
      const target = f.findings.findIndex((x) => x.text === 'H800');
      expect(target).toBeGreaterThanOrEqual(0);
      expect(items[target]).toContain(f.findings[target]!.sentence.slice(0, 30));
      await article.front();
      await popup.evaluate((i) => (document.querySelectorAll('.mentions .mention')[i] as HTMLElement).click(), target);
      const card = await waitUntil(async () => {
        const s = await cardState(article);
        return s.open ? s : null;
      }, 'the card of the clicked mention', 10_000);
      expect(card.cardId).toMatch(/^export-controls-/);
      await article.press('Escape');
    });

    it('switches a topic off from the popup, live', async () => {
      const popup = await openPopup(articleTabId);
      const before = (await topicTexts(article, 2)).length;
      expect(before).toBeGreaterThan(0);
      await popup.evaluate(() => (document.querySelector('input[data-topic="export-controls"]') as HTMLInputElement).click());
      await waitUntil(async () => (await topicTexts(article, 2)).length === 0, 'export-control highlights to go');
      await popup.evaluate(() => (document.querySelector('input[data-topic="export-controls"]') as HTMLInputElement).click());
      await waitUntil(async () => (await topicTexts(article, 2)).length === before, 'export-control highlights to return');
      await popup.close();
    });

    it('says when a page has no mentions, and when a page opted out', async () => {
      const none = await session.open('/blank.html');
      const noneId = await tabIdFor(options, `${site.origin}/blank.html`);
      let popup = await openPopup(noneId);
      expect(await waitUntil(() => textOf(popup, '.state'), 'a state message')).toMatch(/does not mention/);
      await popup.close();
      await none.close();

      const optedOut = await session.open('/opted-out.html');
      const optedId = await tabIdFor(options, `${site.origin}/opted-out.html`);
      popup = await openPopup(optedId);
      expect(await textOf(popup, '.state')).toMatch(/asks extensions not to annotate/);
      expect(await highlightedTexts(optedOut)).toEqual([]);
      expect(Object.keys(await highlights(optedOut))).toEqual([]);
      await popup.close();
      await optedOut.close();
    });
  });

  describe('badge', () => {
    it('shows the mention count with a tooltip, and follows the page as it adds mentions', async () => {
      const f = await findings(options, articleTabId);
      const first = await waitUntil(async () => {
        const b = await badge(options, articleTabId);
        return b.text === badgeText(f.total) ? b : null;
      }, `badge ${f.total}`);
      expect(first.title).toContain(String(f.total));
      await article.evaluate(() => {
        for (let i = 0; i < 3; i++) {
          const p = document.createElement('p');
          p.textContent = 'Late news: DeepSeek and the H800 chips again.';
          document.getElementById('article')!.append(p);
        }
      });
      const expected = badgeText(f.total + 6);
      await waitUntil(async () => (await findings(options, articleTabId)).total === f.total + 6, `${f.total + 6} findings`);
      await waitUntil(async () => {
        const b = await badge(options, articleTabId);
        return b.text === expected ? b : null;
      }, `badge ${expected}`);

      const none = await session.open('/blank.html');
      const noneId = await tabIdFor(options, `${site.origin}/blank.html`);
      await sleep(800);
      expect((await badge(options, noneId)).text).toBe('');
      await none.close();
    });
  });

  describe('settings page', () => {
    it('shows the dataset: version, counts, review date; and has no axe violations', async () => {
      await options.front();
      expect(await waitUntil(datasetVersion, 'dataset info')).toContain(bundled.version);
      expect(await textOf(options, '[data-testid="dataset-counts"]')).toContain(`${bundled.cards.length} cards`);
      expect(await axeViolations(options)).toEqual([]);
      await options.screenshot(join(shots, `options-${kind}.png`));
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
      const before = await datasetVersion();
      await pickFile(options, 'input[type="file"]', 'dataset.json', text);
      const error = await waitUntil(() => textOf(options, '.error'), 'the error message');
      expect(error).toMatch(message);
      expect(await datasetVersion()).toBe(before);
      const info = await toBackground<{ ok: boolean; value: { version: string } }>(options, { type: 'getDatasetInfo' });
      expect(info.value.version).toBe(bundled.version);
    });

    it('imports a valid file in one go (cards update in open tabs), exports it, and resets to the bundled data', async () => {
      const data = JSON.parse(bundledText);
      data.version = '2099.01.01';
      const card = data.cards.find((c: { id: string }) => c.id === 'deepseek-training-cost');
      card.summary = 'Imported summary: the figure covered the final training run only.';
      await pickFile(options, 'input[type="file"]', 'mine.json', JSON.stringify(data));
      await waitUntil(async () => (await datasetVersion()).includes('2099.01.01'), 'the imported version');

      const exported = await toBackground<{ ok: boolean; value: string }>(options, { type: 'exportDataset' });
      expect(JSON.parse(exported.value).version).toBe('2099.01.01');

      await article.front();
      const shown = await hoverOpen(article, 'DeepSeek', 'less than $6 million');
      expect(shown.text).toContain('Imported summary');
      await article.press('Escape');
      await waitUntil(async () => !(await cardState(article)).open, 'the card to close');

      await options.evaluate(() => [...document.querySelectorAll('button')].find((b) => /reset/i.test(b.textContent ?? ''))!.click());
      await waitUntil(async () => (await datasetVersion()).includes(bundled.version), 'the bundled version again');
    });

    it('turns Counterpoint off for a site from the site list, and on again', async () => {
      await options.evaluate(() => {
        const input = document.querySelector('form input[type="text"]') as HTMLInputElement;
        input.value = '127.0.0.1';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await options.evaluate(() => (document.querySelector('form button[type="submit"]') as HTMLButtonElement).click());
      await waitUntil(async () => (await highlightedTexts(article)).length === 0, 'highlights to go on the muted site');
      expect((await findings(options, articleTabId)).state).toBe('off-site');
      await options.evaluate(() => (document.querySelector('.sites li button') as HTMLButtonElement).click());
      await settled(article, 10);
    });

    it('changes a topic style live', async () => {
      await options.evaluate(() => {
        const select = document.querySelectorAll('table.topics select')[0] as HTMLSelectElement;
        select.value = 'background';
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await waitUntil(async () => Object.keys(await highlights(article)).some((n) => n === 'counterpoint-t0-background'), 'the background style');
      await options.evaluate(() => {
        const select = document.querySelectorAll('table.topics select')[0] as HTMLSelectElement;
        select.value = 'underline';
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await waitUntil(async () => Object.keys(await highlights(article)).some((n) => n === 'counterpoint-t0-underline'), 'the underline style again');
    });

    it('applies a longer hover delay', async () => {
      await options.evaluate(() => {
        const input = document.querySelector('input[type="number"]') as HTMLInputElement;
        input.value = '1500';
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await sleep(300);
      await article.front();
      const started = Date.now();
      await hoverOpen(article, 'H800', 'slower links');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      await article.press('Escape');
      await options.evaluate(() => {
        const input = document.querySelector('input[type="number"]') as HTMLInputElement;
        input.value = '400';
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
    });

    it('saves only what the user changed', async () => {
      const stored = await options.evaluate(async () => {
        type Api = { storage: { sync: { get(k: null): Promise<Record<string, unknown>> } } };
        const api = ((globalThis as unknown as { browser?: Api }).browser ?? (globalThis as unknown as { chrome: Api }).chrome) as Api;
        return api.storage.sync.get(null);
      });
      // Everything above was set back to its default, so nothing but the schema marker may remain.
      expect(Object.keys(stored).filter((k) => !/version/i.test(k))).toEqual([]);
    });
  });
});
