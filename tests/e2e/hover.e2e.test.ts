/**
 * The hover card in both browsers: hover intent, grace period, dismissal,
 * keyboard walking, positioning at the edges, at 50% and 200% zoom and on a
 * page zoomed by its own CSS, a single-page navigation, a same-origin frame,
 * accessibility (axe-core), the card chosen for the seed articles' key claims
 * and a Chinese article's, and a screenshot (the dark card is checked with
 * the other dark-page tests in reading.e2e.test.ts).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { axeViolations } from './harness/axe';
import { toTab } from './harness/ext';
import { sleep, until } from './harness/until';
import { CARD_HOST } from './pages/reader';
import { corpusSuite } from '../../scripts/lib/corpus';

const SEEDS = corpusSuite('seed-article card choice (e2e)', 'seeds');

const root = resolve(import.meta.dirname, '../..');
// The screenshots in docs/ come from tests/e2e/screenshots.e2e.test.ts; these are for looking at a run.
const shots = join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  const article = async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    return page;
  };

  it('does not open when the pointer only passes over a mention', async () => {
    const page = await article();
    const p = (await page.pointAt('DeepSeek', 'less than $6 million'))!;
    await page.tab.move(p.x - 120, p.y);
    await page.tab.move(p.x + 120, p.y, 4);
    await sleep(900);
    expect((await page.card()).open).toBe(false);
  });

  it('opens after the pointer rests, stays while the pointer moves into the card, closes on leave', async () => {
    const page = await article();
    const card = await page.hover('DeepSeek', 'less than $6 million');
    const r = card.rect!;
    await page.tab.move((r.left + r.right) / 2, (r.top + r.bottom) / 2, 8);
    await sleep(1000);
    expect((await page.card()).open).toBe(true);
    // Leave towards the masthead: the card closes after its grace period.
    await page.tab.move(r.right + 200 > card.viewport.width ? 5 : r.right + 200, 20, 4);
    await page.waitClosed();
  });

  it('reopens when the same mention is hovered again right after closing', async () => {
    const page = await article();
    await page.hover('DeepSeek', 'less than $6 million');
    await page.closeCard();
    await page.tab.move(5, 20);
    expect((await page.hover('DeepSeek', 'less than $6 million')).open).toBe(true);
  });

  it('closes on a click outside', async () => {
    const page = await article();
    await page.hover('H800', 'slower links');
    await page.tab.click(5, 20);
    await page.waitClosed();
  });

  it('the shortcut walks mentions, moves focus into the card, and Esc returns it', async () => {
    const page = await article();
    const tabId = await browser.tabId('/demo-article.html');
    await page.tab.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // The command handler in the background sends exactly this message to the active tab.
    await toTab(browser.control, tabId, { type: 'stepMention', direction: 1 });
    const first = await page.openCard('the first mention card');
    const focus = await page.tab.evaluate((selector) => {
      const host = document.querySelector(selector);
      return { hostFocused: document.activeElement === host, inner: host?.shadowRoot?.activeElement?.className ?? '' };
    }, CARD_HOST);
    expect(focus.hostFocused).toBe(true);
    expect(focus.inner).toContain('cp-card');
    // Tab reaches the card's controls and links.
    await page.tab.press('Tab');
    const tabbed = await page.tab.evaluate((selector) => document.querySelector(selector)?.shadowRoot?.activeElement?.tagName ?? '', CARD_HOST);
    expect(['BUTTON', 'A']).toContain(tabbed);

    await toTab(browser.control, tabId, { type: 'stepMention', direction: 1 });
    const second = await until(async () => {
      const s = await page.card();
      return s.open && s.rect && s.rect.top !== first.rect!.top ? s : null;
    }, 'the card to move to the next mention');
    expect(second.open).toBe(true);

    await page.closeCard();
    expect(await page.tab.evaluate((selector) => document.activeElement?.matches(selector) ?? false, CARD_HOST)).toBe(false);
  });

  it('the open card has no axe-core violations', async () => {
    const page = await article();
    await page.hover('distillation', 'some evidence');
    const violations = await axeViolations(page.tab, CARD_HOST);
    expect(violations).toEqual([]);
  });

  it('stays inside the viewport at every edge, without covering the mention', async () => {
    const edges = await browser.open('/edges.html');
    await edges.settled(5);
    for (const id of ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'centre']) {
      const near = id === 'centre' ? 'In the middle' : id.replace('-', ' ');
      const card = await edges.hover('DeepSeek', near);
      const r = card.rect!;
      expect(r.left, id).toBeGreaterThanOrEqual(0);
      expect(r.top, id).toBeGreaterThanOrEqual(0);
      expect(r.right, id).toBeLessThanOrEqual(card.viewport.width);
      expect(r.bottom, id).toBeLessThanOrEqual(card.viewport.height);
      const m = (await edges.pointAt('DeepSeek', near))!;
      const covers = m.x >= r.left && m.x <= r.right && m.y >= r.top && m.y <= r.bottom;
      expect(covers, `${id}: the card covers its mention`).toBe(false);
      await edges.closeCard();
    }
  });

  it.each([
    ['body', '?body=1.25'],
    ['html', '?html=0.8'],
    ['html and body', '?html=1.5&body=0.9'],
  ])('on a page that zooms its %s with CSS, the card opens under its mention at its own size', async (_, query) => {
    const page = await browser.open(`/css-zoom.html${query}`);
    await page.settled(3);
    const card = await page.hover('DeepSeek', 'H800');
    const mention = await page.tab.evaluate(() => {
      const text = document.getElementById('claim')!.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, text.data.indexOf('DeepSeek'));
      range.setEnd(text, text.data.indexOf('DeepSeek') + 'DeepSeek'.length);
      const r = range.getBoundingClientRect();
      return { left: r.left, bottom: r.bottom };
    });
    const r = card.rect!;
    expect(Math.abs(r.left - mention.left)).toBeLessThan(2);
    expect(r.top - mention.bottom).toBeGreaterThanOrEqual(2);
    expect(r.top - mention.bottom).toBeLessThan(12);
    expect(r.right - r.left).toBeGreaterThan(400);
    expect(r.right - r.left).toBeLessThanOrEqual(441);
  });

  it('on a right-to-left page, the card reads left to right and opens at its mention', async () => {
    const page = await browser.open('/rtl.html');
    expect(await page.settled(3)).toEqual(expect.arrayContaining(['DeepSeek', 'H800', 'export controls']));
    const card = await page.hover('DeepSeek', 'The lab');
    const direction = await page.tab.evaluate(
      (selector) => getComputedStyle(document.querySelector(selector)!.shadowRoot!.querySelector('.cp-card')!).direction,
      CARD_HOST,
    );
    expect(direction).toBe('ltr');
    // Placed as in a left-to-right page: its left edge under the mention's.
    const mentionLeft = await page.tab.evaluate(() => {
      const text = document.getElementById('claim')!.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, text.data.indexOf('DeepSeek'));
      range.setEnd(text, text.data.indexOf('DeepSeek') + 'DeepSeek'.length);
      return range.getBoundingClientRect().left;
    });
    expect(Math.abs(card.rect!.left - mentionLeft)).toBeLessThan(2);
  });

  it('in a plain-text document (a .txt opened in a tab), reads the text as prose and opens the card that answers it', async () => {
    // The browser shows the file in one <pre>, which elsewhere is a code listing and left alone.
    const page = await browser.open('/plain-text.txt');
    expect(await page.tab.evaluate(() => `${document.contentType} ${document.body.firstElementChild?.localName}`)).toBe('text/plain pre');
    const texts = await page.settled(6);
    expect(texts).toEqual(expect.arrayContaining(['DeepSeek', 'V3', 'H800', 'distillation']));
    expect(texts.some((t) => /^export\s+controls$/.test(t))).toBe(true);
    const card = await page.hover('H800', 'trained V3 on');
    expect(card.open).toBe(true);
    expect(card.cardId).toBe('export-controls-2023-rule');
  });

  it('works at 200% zoom', async () => {
    const zoomed = await browser.open('/edges.html');
    await zoomed.tab.setViewport(640, 450, 2);
    await zoomed.settled(5);
    for (const id of ['bottom-right', 'centre']) {
      const card = await zoomed.hover('DeepSeek', id === 'centre' ? 'In the middle' : 'bottom right');
      const r = card.rect!;
      expect(card.viewport.width).toBe(640);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.right).toBeLessThanOrEqual(640);
      expect(r.bottom).toBeLessThanOrEqual(450);
      await zoomed.closeCard();
    }
  });

  it('works at 50% zoom', async () => {
    const zoomed = await browser.open('/edges.html');
    await zoomed.tab.setViewport(2560, 1800, 0.5);
    await zoomed.settled(5);
    const card = await zoomed.hover('DeepSeek', 'In the middle');
    expect(card.viewport.width).toBe(2560);
    expect(card.rect!.right).toBeLessThanOrEqual(2560);
    expect(card.rect!.bottom).toBeLessThanOrEqual(1800);
    // The card keeps its own pixel size whatever the page's zoom does to rem.
    expect(card.rect!.right - card.rect!.left).toBeLessThanOrEqual(440);
  });

  it('follows a single-page navigation: the new view is scanned and reported', async () => {
    const spa = await browser.open('/spa.html');
    await spa.loadedAndQuiet();
    expect(await spa.texts()).toEqual([]);
    await spa.tab.evaluate(() => document.getElementById('next')!.click());
    const texts = await spa.settled(3);
    expect(texts).toEqual(expect.arrayContaining(['DeepSeek', 'R1', 'H800', 'export controls']));
    expect(await browser.tabId('/spa.html?story=2')).toBeGreaterThan(0);
  });

  it('highlights a same-origin frame and opens its card when a mention in it is hovered', async () => {
    const framed = await browser.open('/frames.html');
    await framed.loadedAndQuiet();
    // Where "DeepSeek" sits inside the frame, in the top page's viewport (the frame's highlights are its own).
    const point = await until(
      () =>
        framed.tab.evaluate(() => {
          const frame = document.getElementById('inner') as HTMLIFrameElement;
          const doc = frame.contentDocument!;
          const win = doc.defaultView as unknown as { CSS: typeof CSS };
          const ours = [...win.CSS.highlights.values()].reduce((n, h) => n + (h as Highlight).size, 0);
          if (!ours) return null;
          const text = doc.getElementById('in-frame')!.firstChild as Text;
          const range = doc.createRange();
          const i = text.data.indexOf('DeepSeek');
          range.setStart(text, i);
          range.setEnd(text, i + 'DeepSeek'.length);
          const r = range.getBoundingClientRect();
          const f = frame.getBoundingClientRect();
          return { x: f.left + frame.clientLeft + r.left + r.width / 2, y: f.top + frame.clientTop + r.top + r.height / 2 };
        }),
      'highlights in the frame',
    );
    await framed.tab.move(point.x - 30, point.y + 30);
    await framed.tab.move(point.x, point.y, 5);
    const card = await until(
      () =>
        framed.tab.evaluate((selector) => {
          const doc = (document.getElementById('inner') as HTMLIFrameElement).contentDocument!;
          const card = doc.querySelector(selector)?.shadowRoot?.querySelector('.cp-card');
          return card?.getAttribute('data-card-id') ?? null;
        }, CARD_HOST),
      'the card inside the frame',
    );
    expect(card).toMatch(/^(deepseek|export-controls)-/);
  });

  it('leaves a frame with next to no text alone until it has some', async () => {
    const framed = await browser.open('/frames.html');
    await framed.loadedAndQuiet(1500);
    const adRanges = () =>
      framed.tab.evaluate(() => {
        const win = (document.getElementById('ad') as HTMLIFrameElement).contentWindow as unknown as { CSS: typeof CSS };
        return [...win.CSS.highlights.values()].reduce((n, h) => n + (h as Highlight).size, 0);
      });
    // The article frame is scanned; the ad frame ("Advertisement: DeepSeek tips.") is not worth it yet.
    await until(
      () =>
        framed.tab.evaluate(
          () => ((document.getElementById('inner') as HTMLIFrameElement).contentWindow as unknown as { CSS: typeof CSS }).CSS.highlights.size > 0,
        ),
      'the article frame highlighted',
    );
    expect(await adRanges()).toBe(0);
    // Once it fills in with real text, it is.
    await framed.tab.evaluate(() => {
      const doc = (document.getElementById('ad') as HTMLIFrameElement).contentDocument!;
      const p = doc.createElement('p');
      p.textContent =
        'Sponsored report: what DeepSeek means for the chip export controls, in twelve charts and three interviews with analysts who have followed the lab since its first model came out.';
      doc.body.append(p);
    });
    await until(async () => (await adRanges()) >= 2, 'the filled frame highlighted');
  });

  it.skipIf(!SEEDS).each([
    ['the training-cost claim', '003_280b931fd4fb2bfb', 'DeepSeek', 'total training cost of less than $6 million', 'deepseek-training-cost'],
    ['the SemiAnalysis hardware estimate', '000_867b355e20b1f416', 'DeepSeek', 'SemiAnalysis estimate', 'deepseek-hardware-estimate'],
    ['OpenAI’s distillation allegation', '003_280b931fd4fb2bfb', 'distillation', 'inappropriately', 'distillation-openai-allegation'],
    ['the H800 chips', '004_f2bf616beaa3cf8f', 'H800', 'less powerful H800', 'export-controls-2023-rule'],
    ['the US Navy ban', '002_c8413939229a27e8', 'DeepSeek', 'US Navy has already prohibited', 'deepseek-security-risk'],
  ])('in a seed article, %s shows the card that answers it', async (_what, seed, term, near, expected) => {
    const page = await browser.open(`/seeds/${seed}.html`);
    await page.settled(1);
    const card = await page.hover(term, near);
    expect(card.cardId).toBe(expected);
    // Both sides at a glance, each with its own mark (◆, ◇) and its label in words.
    expect(card.text).toMatch(/◆[\s\S]*◇/);
  });

  it.each([
    ['OpenAI’s allegation', '模型蒸馏', 'OpenAI曾表示', 'distillation-openai-allegation'],
    ['the models DeepSeek distilled itself', '蒸馏', '通义千问', 'distillation-r1-distilled-models'],
    ['Anthropic’s accusation', '蒸馏', 'Anthropic', 'distillation-claude-anthropic'],
    ['the H200 review', 'H200', '逐案审查', 'export-controls-h200'],
  ])('in a Chinese article, %s shows the card that answers it', async (_what, term, near, expected) => {
    const page = await browser.open('/labeled/zh-news.html');
    await page.settled(3);
    expect((await page.hover(term, near)).cardId).toBe(expected);
  });

  it('screenshot of the card in light mode', async () => {
    const page = await article();
    await page.hover('distillation', 'some evidence');
    await sleep(300);
    await page.tab.screenshot(join(shots, `card-light-${kind}.png`));
  });
});
