/**
 * The reading companion (side panel / sidebar page), in both browsers: it
 * lists the tab's mentions in reading order, follows the reader's scroll
 * with the card of the mention being read, scrolls the page to a mention
 * clicked in its list, and picks up mentions a page adds later.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { axeViolations } from './harness/axe';
import { findings } from './harness/ext';
import { openCompanionBeside } from './pages/companion';
import { CARD_HOST } from './pages/reader';
import { until } from './harness/until';
import bundled from '../../lib/dataset/dataset.json' with { type: 'json' };

// Screenshots of a run, to look at (docs/screenshots holds the published ones).
const shots = join(resolve(import.meta.dirname, '../..'), 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  const openCompanion = () => openCompanionBeside(browser);

  /** The list items' text, the index of the one marked as being read, and the card's question. */
  const read = (companion: Awaited<ReturnType<typeof openCompanion>>['companion']) =>
    companion.evaluate(() => {
      const items = [...document.querySelectorAll('.mentions li')];
      const card = document.querySelector('.card-frame')?.shadowRoot;
      return {
        items: items.map((li) => li.textContent ?? ''),
        current: items.findIndex((li) => li.getAttribute('aria-current') === 'true'),
        question: card?.querySelector('h2, [class*="question"]')?.textContent ?? card?.textContent?.slice(0, 200) ?? '',
        counts: document.querySelector('.counts')?.textContent ?? '',
      };
    });

  it('lists every mention in reading order with its sentence, and the counts per topic', async () => {
    const { tabId, companion } = await openCompanion();
    const f = await findings(browser.control, tabId);
    // The counts name their topics, which the companion loads apart from the
    // findings: the list can be complete a moment before the counts are drawn.
    const shown = await until(async () => {
      const r = await read(companion);
      return r.items.length === f.findings.length && r.counts ? r : null;
    }, 'every mention listed, and the counts drawn');
    for (const [i, m] of f.findings.entries()) expect(shown.items[i]).toContain(m.text);
    for (const [topicId, n] of Object.entries(f.byTopic)) expect(shown.counts, topicId).toContain(`${n}×`);
    const violations = await axeViolations(companion);
    expect(violations, JSON.stringify(violations)).toEqual([]);
    await companion.close();
  });

  it("follows the reader's scroll: the mention being read is marked and its card shown", async () => {
    const { page, tabId, companion } = await openCompanion();
    const places: number[] = [];
    for (const fraction of [0.8, 0.3]) {
      await page.tab.evaluate((y) => window.scrollTo(0, y * (document.documentElement.scrollHeight - innerHeight)), fraction);
      // The page's place and the companion's mark, read together: a place
      // read once could move under a late layout (a loaded font, a busy
      // machine) while the companion rightly follows it.
      // What was last seen goes into the failure: which of the three never held.
      let seen = '';
      const r = await until(
        async () => {
          const [now, f] = await Promise.all([read(companion), findings(browser.control, tabId)]);
          seen = `page reports ${f.reading}, companion marks ${now.current}, card question ${JSON.stringify(now.question.slice(0, 60))}`;
          return f.reading !== null && now.current === f.reading && now.question ? { now, f, reading: f.reading } : null;
        },
        () => `the companion to mark the mention the page reports as being read (at ${fraction} of the page: ${seen})`,
      );
      expect(r.now.items[r.reading]).toContain(r.f.findings[r.reading]!.text);
      places.push(r.reading);
    }
    expect(places[1], 'scrolling up moves the place being read').toBeLessThan(places[0]!);
    // A side panel's width.
    await companion.setViewport(400, 900);
    await companion.screenshot(join(shots, `companion-${kind}.png`));
    await companion.close();
  });

  it('takes the page to a mention clicked in its list: its card opens there, and the list marks it', async () => {
    const { page, tabId, companion } = await openCompanion();
    const f = await findings(browser.control, tabId);
    const target = f.findings.findIndex((m) => m.topicId !== f.findings[f.reading ?? 0]?.topicId && m.index > 5);
    expect(target).toBeGreaterThan(0);
    // A side panel sits beside a visible page; opened as a tab here, it
    // would hide the page, so the page is brought to the front first.
    await page.tab.front();
    await companion.evaluate((i) => (document.querySelectorAll('.mentions li button')[i] as HTMLElement).click(), target);
    await until(async () => (await read(companion)).current === target, 'the clicked mention to be marked');
    const card = await page.openCard('the card of the clicked mention');
    expect(card.cardId?.startsWith(f.findings[target]!.topicId)).toBe(true);
    await companion.close();
  });

  it('picks up mentions a page adds after load', async () => {
    const { page, tabId, companion } = await openCompanion();
    const before = (await findings(browser.control, tabId)).findings.length;
    await page.tab.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Late update: DeepSeek published a new paper this morning.';
      document.body.append(p);
    });
    await until(async () => (await read(companion)).items.length > before, 'the new mention in the list');
    await companion.close();
  });

  it('draws a timeline of the dated facts: marks per topic, keyboard along a row, a mark lists its events, and an event opens its card', async () => {
    const { companion } = await openCompanion();
    await companion.evaluate(() => (document.querySelectorAll('.switch button')[1] as HTMLElement).click());
    await until(async () => {
      const rows = await companion.evaluate(() =>
        [...document.querySelectorAll('.timeline svg g[role="group"]')].map((g) => g.querySelectorAll('.mark').length),
      );
      return rows.length === 3 && rows.every((n) => n > 3);
    }, 'three topic rows with marks');
    // The text alternative lists every dated fact of the bundled cards.
    const dated = bundled.cards.reduce((n, c) => n + c.facts.filter((f) => f.date).length, 0);
    expect(await companion.evaluate(() => document.querySelectorAll('.timeline-text li').length)).toBe(dated);
    // One mark in the tab order; ArrowRight moves focus along the row; Enter chooses.
    expect(await companion.evaluate(() => document.querySelectorAll('.timeline .mark[tabindex="0"]').length)).toBe(1);
    await companion.evaluate(() => (document.querySelector('.timeline .mark[tabindex="0"]') as SVGGElement).focus());
    const first = await companion.evaluate(() => document.activeElement?.getAttribute('data-key'));
    await companion.press('ArrowRight');
    const second = await companion.evaluate(() => document.activeElement?.getAttribute('data-key'));
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    await companion.press('Enter');
    const events = await until(() => companion.evaluate(() => document.querySelectorAll('.timeline-events li').length), "the chosen mark's events");
    expect(events).toBeGreaterThan(0);
    // An event's button opens its card in the companion.
    const wanted = await companion.evaluate(() => (document.querySelector('.timeline-events li button') as HTMLElement).textContent ?? '');
    await companion.evaluate(() => (document.querySelector('.timeline-events li button') as HTMLElement).click());
    const question = wanted.replace(/^Open the card: /, '');
    await until(async () => {
      const text = await companion.evaluate(
        () => (document.querySelector('#h-now')?.textContent ?? '') + '|' + (document.querySelector('.card-frame')?.shadowRoot?.textContent ?? ''),
      );
      return text.startsWith('From the timeline') && text.includes(question);
    }, `the card "${question}" from the timeline`);
    const violations = await axeViolations(companion);
    expect(violations, JSON.stringify(violations)).toEqual([]);
    await companion.setViewport(400, 900);
    await companion.evaluate(() => document.querySelector('.timeline')?.scrollIntoView());
    await companion.screenshot(join(shots, `companion-timeline-${kind}.png`));
    await companion.close();
  });

  it('the hover card offers “Open beside the page”; a real click on it is acted on (the card closes as the companion opens)', async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    // Tall enough that the card's last row of actions is on screen for a real click.
    await page.tab.setViewport(1280, 1400);
    await page.hover('H800', 'slower links');
    const button = await page.tab.evaluate((host) => {
      const root = document.querySelector(host)?.shadowRoot;
      const b = [...(root?.querySelectorAll('button') ?? [])].find((x) => x.textContent === 'Open beside the page');
      const r = b?.getBoundingClientRect();
      return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    }, CARD_HOST);
    expect(button, 'the card offers the companion').not.toBeNull();
    // A real click: the card acts on trusted input only (tests/e2e/attacks.e2e.test.ts shows page clicks do nothing).
    await page.tab.click(button!.x, button!.y);
    await page.waitClosed();
    expect(page.tab.errors).toEqual([]);
  });

  it("the card's “more” view shows where its facts sit in time: one dot per dated fact, first and last date labelled", async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    await page.tab.setViewport(1280, 1400);
    const card = await page.hover('H800', 'slower links');
    const more = await page.tab.evaluate((host) => {
      const r = document.querySelector(host)!.shadowRoot!.querySelector('.cp-more')!.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, CARD_HOST);
    await page.tab.click(more.x, more.y);
    const strip = await until(
      () =>
        page.tab.evaluate((host) => {
          const svg = document.querySelector(host)!.shadowRoot!.querySelector('.cp-strip');
          return svg
            ? {
                dots: svg.querySelectorAll('circle').length,
                labels: [...svg.querySelectorAll('text')].map((x) => x.textContent),
                name: svg.getAttribute('aria-label'),
              }
            : null;
        }, CARD_HOST),
      'the time strip',
    );
    const dated = bundled.cards
      .find((c) => c.id === card.cardId)!
      .facts.map((f) => f.date)
      .filter((d): d is string => !!d);
    expect(strip.dots).toBe(dated.length);
    expect(strip.name).toContain(strip.labels[0]!);
    expect(strip.name).toContain(strip.labels[1]!);
  });
});
