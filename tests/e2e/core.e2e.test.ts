/**
 * The thin slice, end to end, in both browsers: highlights appear on a news
 * article, the hover card shows the chosen card with its viewpoints and
 * sources, the settings page turns a topic off and on live, the popup lists
 * what the page mentions, and no request leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, foreignRequests, launch, startTestSite, type Session, type Tab } from './harness/browsers';
import { controlPage, findings, tabIdFor } from './harness/ext';
import { cardState, highlightedTexts, hoverOpen, settled, sleep, topicTexts, waitUntil } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

describe.each(KINDS)('%s', (kind) => {
  let session: Session;
  let article: Tab;
  let control: Tab;
  let articleTabId: number;

  beforeAll(async () => {
    session = await launch(kind, site);
    article = await session.open('/demo-article.html');
    control = await controlPage(session);
    articleTabId = await tabIdFor(control, `${site.origin}/demo-article.html`);
    await article.front();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('highlights the three topics in the article and nothing in look-alikes or editors', async () => {
    const texts = await settled(article, 10);
    expect(texts).toContain('DeepSeek');
    expect(texts.some((t) => /^distillation$/i.test(t))).toBe(true);
    expect(texts).toContain('H800');
    expect(texts.some((t) => /^export controls$/i.test(t))).toBe(true);

    const inExcluded = await article.evaluate(() => {
      const hits: string[] = [];
      const excluded = ['#lookalikes', '#comments'].map((s) => document.querySelector(s)!);
      for (const [name, h] of CSS.highlights) {
        if (!name.startsWith('counterpoint-')) continue;
        for (const r of h as Highlight) {
          if (excluded.some((el) => el.contains(r.startContainer))) hits.push(`${name}: ${r.startContainer.textContent?.slice(0, 40)}`);
        }
      }
      return hits;
    });
    expect(inExcluded).toEqual([]);
  });

  it('leaves the page DOM untouched (no wrappers, no attributes)', async () => {
    const extra = await article.evaluate(() =>
      [...document.querySelectorAll('*')]
        .filter((el) => el.tagName === 'MARK' || [...el.attributes].some((a) => /counterpoint|data-cp/i.test(a.name + a.value)))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(extra).toEqual([]);
  });

  it('hovering a mention opens its card with opposing viewpoints and sources', async () => {
    const card = await hoverOpen(article, 'DeepSeek', 'less than $6 million');
    expect(card.cardId).toBe('deepseek-training-cost');
    expect(card.text).toMatch(/\$6 million/);
    expect(card.text).toMatch(/Says yes/);
    expect(card.text).toMatch(/Says no/);
    expect(card.text).toMatch(/SemiAnalysis/);
    // Dismiss for the next tests.
    await article.press('Escape');
    await waitUntil(async () => !(await cardState(article)).open, 'the card to close');
  });

  it('the popup lists the topics the page mentions, with counts', async () => {
    const popup = await session.openExtension(`popup.html?tab=${articleTabId}`);
    const listed = await waitUntil(
      () =>
        popup.evaluate(() =>
          [...document.querySelectorAll('.topics .topic')].map((li) => ({
            topic: li.getAttribute('data-topic'),
            count: li.querySelector('.count')?.textContent ?? '',
          })),
        ).then((list) => (list.length >= 3 ? list : null)),
      'the popup topic list',
    );
    const f = await findings(control, articleTabId);
    expect(listed.map((l) => l.topic).sort()).toEqual(['deepseek', 'distillation', 'export-controls']);
    for (const l of listed) expect(l.count).toContain(String(f.byTopic[l.topic!]));
    const mentions = await popup.evaluate(() => document.querySelectorAll('.mentions .mention').length);
    expect(mentions).toBe(f.findings.length);
    await popup.close();
    await article.front();
  });

  it('turning a topic off in settings removes its highlights live, and on brings them back', async () => {
    const before = await topicTexts(article, 1);
    expect(before.length).toBeGreaterThan(0);
    await control.evaluate(() => (document.querySelector('input[data-topic="distillation"]') as HTMLInputElement).click());
    await waitUntil(async () => (await topicTexts(article, 1)).length === 0, 'distillation highlights to go');
    // Other topics stay.
    expect((await highlightedTexts(article)).filter((t) => t === 'DeepSeek').length).toBeGreaterThan(0);
    await control.evaluate(() => (document.querySelector('input[data-topic="distillation"]') as HTMLInputElement).click());
    await waitUntil(async () => (await topicTexts(article, 1)).length === before.length, 'distillation highlights to return');
  });

  it('made no request to anything but the test site', async () => {
    await sleep(200);
    expect(foreignRequests(session)).toEqual([]);
    expect(session.requests.some((r) => r.url.includes('/demo-article.html'))).toBe(true);
  });
});
