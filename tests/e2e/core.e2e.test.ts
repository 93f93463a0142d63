/**
 * The thin slice, end to end, in both browsers: highlights appear on a news
 * article, the hover card shows the chosen card with its viewpoints and
 * sources, the settings page turns a topic off and on live, the popup lists
 * what the page mentions, and no request leaves the machine.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { foreignRequests } from './harness/browsers';
import { findings } from './harness/ext';
import { until } from './harness/until';
import { CARD_HOST } from './pages/reader';
import { PopupPage } from './pages/popup';

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind, {}, { fresh: true });

  it('highlights the three topics in the article and nothing in look-alikes or editors', async () => {
    const article = await browser.open('/demo-article.html');
    const texts = await article.settled(10);
    expect(texts).toContain('DeepSeek');
    expect(texts.some((t) => /^distillation$/i.test(t))).toBe(true);
    expect(texts).toContain('H800');
    expect(texts.some((t) => /^export controls$/i.test(t))).toBe(true);
    expect(await article.rangesInside('#lookalikes, #comments')).toBe(0);
  });

  it('leaves the page DOM untouched (no wrappers, no attributes), the card host aside', async () => {
    const article = await browser.open('/demo-article.html');
    const before = await article.markup();
    await article.settled(10);
    await article.hover('DeepSeek', 'less than $6 million');
    expect(await article.markup()).toBe(before);
    const extra = await article.tab.evaluate(
      (host) =>
        [...document.querySelectorAll('*')]
          .filter((el) => !el.matches(host) && (el.tagName === 'MARK' || [...el.attributes].some((a) => /counterpoint|data-cp/i.test(a.name + a.value))))
          .map((el) => el.outerHTML.slice(0, 80)),
      CARD_HOST,
    );
    expect(extra).toEqual([]);
  });

  it('puts its one stylesheet in before the page builds anything, and draws from it without writing another', async () => {
    // A sheet of ::highlight() rules arriving later would make the browser restyle every element of the page.
    const page = await browser.open('/sheet-first.html');
    await page.settled(3);
    const before = await page.tab.evaluate(() => (window as unknown as { beforeThePage: { sheets: number; rules: number; body: boolean } }).beforeThePage);
    expect(before.body).toBe(false);
    expect(before.sheets).toBe(1);
    expect(before.rules).toBeGreaterThan(0);
    const now = await page.tab.evaluate(() => ({ sheets: document.adoptedStyleSheets.length, rules: document.adoptedStyleSheets[0]?.cssRules.length }));
    expect(now).toEqual({ sheets: 1, rules: before.rules });
    expect(await page.drawnRules()).toMatch(/dotted/);
  });

  it('hovering a mention opens its card with opposing viewpoints and sources', async () => {
    const article = await browser.open('/demo-article.html');
    await article.settled(10);
    const card = await article.hover('DeepSeek', 'less than $6 million');
    expect(card.cardId).toBe('deepseek-training-cost');
    expect(card.text).toMatch(/\$6 million/);
    // The two sides, each with its own mark and the card's words for it (components/Card.tsx).
    expect(card.text).toMatch(/◆[\s\S]*◇/);
    expect(card.text).toMatch(/SemiAnalysis/);
  });

  it('the popup lists the topics the page mentions, with counts', async () => {
    const article = await browser.open('/demo-article.html');
    await article.settled(10);
    const tabId = await browser.tabId('/demo-article.html');
    const popup = await PopupPage.open(browser.session, tabId);
    const listed = await until(async () => {
      const list = await popup.topics();
      return list.length >= 3 ? list : null;
    }, 'the popup topic list');
    const f = await findings(browser.control, tabId);
    expect(listed.map((l) => l.id).sort()).toEqual(['deepseek', 'distillation', 'export-controls']);
    for (const l of listed) expect(l.count).toContain(String(f.byTopic[l.id]));
    expect((await popup.mentions()).length).toBe(f.findings.length);
    await popup.close();
  });

  it('turning a topic off in settings removes its highlights live, and on brings them back', async () => {
    const article = await browser.open('/demo-article.html');
    await article.settled(10);
    const before = await article.topicTexts('distillation');
    expect(before.length).toBeGreaterThan(0);
    const toggle = () => browser.control.evaluate(() => (document.querySelector('input[data-topic="distillation"]') as HTMLInputElement).click());
    await toggle();
    await until(async () => (await article.topicTexts('distillation')).length === 0, 'distillation highlights to go');
    // Other topics stay.
    expect((await article.topicTexts('deepseek')).length).toBeGreaterThan(0);
    await toggle();
    await until(async () => (await article.topicTexts('distillation')).length === before.length, 'distillation highlights to return');
  });

  it('made no request to anything but the test site', async () => {
    const article = await browser.open('/demo-article.html');
    await article.settled(10);
    await article.hover('H800', 'slower links');
    expect(foreignRequests(browser.session)).toEqual([]);
    expect(browser.session.requests.some((r) => r.url.includes('/demo-article.html'))).toBe(true);
  });
});
