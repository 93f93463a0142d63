/**
 * The hover card in both browsers: hover intent, grace period, dismissal,
 * keyboard walking, positioning at the edges and at 200% zoom, frames,
 * accessibility (axe-core), the card chosen for the seed articles' key
 * claims, and screenshots in light and dark mode.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, launch, startTestSite, type Kind, type Session, type Tab } from './harness/browsers';
import { controlPage, tabIdFor, toTab } from './harness/ext';
import { axeViolations } from './harness/axe';
import { cardState, highlightedTexts, hoverOpen, pointAt, settled, sleep, waitUntil } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';
import { corpusSuite } from '../../scripts/lib/corpus';

const SEEDS = corpusSuite('seed-article card choice (e2e)', 'seeds');

const root = resolve(import.meta.dirname, '../..');
/** `SCREENSHOTS=1 npm run test:e2e` refreshes the screenshots under docs/; otherwise they go to test-output/. */
const shots = process.env.SCREENSHOTS ? join(root, 'docs/screenshots') : join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

const closed = async (tab: Tab) => waitUntil(async () => !(await cardState(tab)).open, 'the card to close');

describe.each(KINDS)('%s', (kind: Kind) => {
  let session: Session;
  let article: Tab;
  let control: Tab;

  beforeAll(async () => {
    session = await launch(kind, site);
    control = await controlPage(session);
    article = await session.open('/demo-article.html');
    await article.front();
    await settled(article, 10);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('does not open when the pointer only passes over a mention', async () => {
    const p = (await pointAt(article, 'DeepSeek', 'less than $6 million'))!;
    await article.move(p.x - 120, p.y);
    await article.move(p.x + 120, p.y, 4);
    await sleep(900);
    expect((await cardState(article)).open).toBe(false);
  });

  it('opens after the pointer rests, stays while the pointer moves into the card, closes on leave', async () => {
    const card = await hoverOpen(article, 'DeepSeek', 'less than $6 million');
    const r = card.rect!;
    await article.move((r.left + r.right) / 2, (r.top + r.bottom) / 2, 8);
    await sleep(1000);
    expect((await cardState(article)).open).toBe(true);
    // Leave towards the masthead: the card closes after its grace period.
    await article.move(r.right + 200 > card.viewport.width ? 5 : r.right + 200, 20, 4);
    await closed(article);
  });

  it('reopens when the same mention is hovered again right after closing', async () => {
    await hoverOpen(article, 'DeepSeek', 'less than $6 million');
    await article.press('Escape');
    await closed(article);
    await article.move(5, 20);
    const again = await hoverOpen(article, 'DeepSeek', 'less than $6 million');
    expect(again.open).toBe(true);
    await article.press('Escape');
    await closed(article);
  });

  it('closes on a click outside', async () => {
    await hoverOpen(article, 'H800', 'slower links');
    await article.click(5, 20);
    await closed(article);
  });

  it('the shortcut walks mentions, moves focus into the card, and Esc returns it', async () => {
    const tabId = await tabIdFor(control, `${site.origin}/demo-article.html`);
    await article.front();
    await article.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // The command handler in the background sends exactly this message to the active tab.
    await toTab(control, tabId, { type: 'stepMention', direction: 1 });
    const first = await waitUntil(async () => {
      const s = await cardState(article);
      return s.open ? s : null;
    }, 'the first mention card');
    const focus = await article.evaluate(() => {
      const host = document.querySelector('counterpoint-popover');
      return { hostFocused: document.activeElement === host, inner: host?.shadowRoot?.activeElement?.className ?? '' };
    });
    expect(focus.hostFocused).toBe(true);
    expect(focus.inner).toContain('cp-card');
    // Tab reaches the card's controls and links.
    await article.press('Tab');
    const tabbed = await article.evaluate(() => document.querySelector('counterpoint-popover')?.shadowRoot?.activeElement?.tagName ?? '');
    expect(['BUTTON', 'A']).toContain(tabbed);

    await toTab(control, tabId, { type: 'stepMention', direction: 1 });
    const second = await waitUntil(async () => {
      const s = await cardState(article);
      return s.open && s.rect && s.rect.top !== first.rect!.top ? s : null;
    }, 'the card to move to the next mention');
    expect(second.open).toBe(true);

    await article.press('Escape');
    await closed(article);
    const after = await article.evaluate(() => document.activeElement?.tagName ?? '');
    expect(after).not.toBe('COUNTERPOINT-POPOVER');
  });

  it('the open card has no axe-core violations', async () => {
    await hoverOpen(article, 'distillation', 'some evidence');
    const violations = await axeViolations(article, 'counterpoint-popover');
    expect(violations).toEqual([]);
    await article.press('Escape');
    await closed(article);
  });

  it('stays inside the viewport at every edge, without covering the mention', async () => {
    const edges = await session.open('/edges.html');
    await edges.front();
    await settled(edges, 5);
    for (const id of ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'centre']) {
      const card = await hoverOpen(edges, 'DeepSeek', id === 'centre' ? 'In the middle' : id.replace('-', ' '));
      const r = card.rect!;
      expect(r.left, id).toBeGreaterThanOrEqual(0);
      expect(r.top, id).toBeGreaterThanOrEqual(0);
      expect(r.right, id).toBeLessThanOrEqual(card.viewport.width);
      expect(r.bottom, id).toBeLessThanOrEqual(card.viewport.height);
      const m = (await pointAt(edges, 'DeepSeek', id === 'centre' ? 'In the middle' : id.replace('-', ' ')))!;
      const covers = m.x >= r.left && m.x <= r.right && m.y >= r.top && m.y <= r.bottom;
      expect(covers, `${id}: the card covers its mention`).toBe(false);
      await edges.press('Escape');
      await closed(edges);
    }
    await edges.close();
  });

  it('works at 200% zoom', async () => {
    const zoomed = await session.open('/edges.html');
    await zoomed.setViewport(640, 450, 2);
    await zoomed.front();
    await settled(zoomed, 5);
    for (const id of ['bottom-right', 'centre']) {
      const card = await hoverOpen(zoomed, 'DeepSeek', id === 'centre' ? 'In the middle' : 'bottom right');
      const r = card.rect!;
      expect(card.viewport.width).toBe(640);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.right).toBeLessThanOrEqual(640);
      expect(r.bottom).toBeLessThanOrEqual(450);
      await zoomed.press('Escape');
      await closed(zoomed);
    }
    await zoomed.close();
  });

  it('works at 50% zoom', async () => {
    const zoomed = await session.open('/edges.html');
    await zoomed.setViewport(2560, 1800, 0.5);
    await zoomed.front();
    await settled(zoomed, 5);
    const card = await hoverOpen(zoomed, 'DeepSeek', 'In the middle');
    expect(card.viewport.width).toBe(2560);
    expect(card.rect!.right).toBeLessThanOrEqual(2560);
    expect(card.rect!.bottom).toBeLessThanOrEqual(1800);
    // The card keeps its own pixel size whatever the page's zoom does to rem.
    expect(card.rect!.right - card.rect!.left).toBeLessThanOrEqual(440);
    await zoomed.press('Escape');
    await closed(zoomed);
    await zoomed.close();
  });

  it('follows a single-page navigation: the new view is scanned and reported', async () => {
    const spa = await session.open('/spa.html');
    await spa.front();
    await sleep(800);
    expect(await highlightedTexts(spa)).toEqual([]);
    await spa.evaluate(() => (document.getElementById('next') as HTMLAnchorElement).click());
    const texts = await settled(spa, 3);
    expect(texts).toEqual(expect.arrayContaining(['DeepSeek', 'R1', 'H800', 'export controls']));
    const tabId = await tabIdFor(control, `${site.origin}/spa.html?story=2`);
    expect(tabId).toBeGreaterThan(0);
    await spa.close();
  });

  it('highlights and opens cards inside a same-origin frame', async () => {
    const framed = await session.open('/frames.html');
    await framed.front();
    const inFrame = await waitUntil(
      () =>
        framed.evaluate(() => {
          const doc = (document.getElementById('inner') as HTMLIFrameElement).contentDocument!;
          const win = doc.defaultView as unknown as { CSS: typeof CSS };
          return [...win.CSS.highlights.keys()].filter((k) => k.startsWith('counterpoint-')).length;
        }),
      'highlights in the frame',
    );
    expect(inFrame).toBeGreaterThan(0);
    await framed.close();
  });

  it.skipIf(!SEEDS).each([
    ['the training-cost claim', '003_280b931fd4fb2bfb', 'DeepSeek', 'total training cost of less than $6 million', 'deepseek-training-cost'],
    ['the SemiAnalysis hardware estimate', '000_867b355e20b1f416', 'DeepSeek', 'SemiAnalysis estimate', 'deepseek-hardware-estimate'],
    ['OpenAI’s distillation allegation', '003_280b931fd4fb2bfb', 'distillation', 'inappropriately', 'distillation-openai-allegation'],
    ['the H800 chips', '004_f2bf616beaa3cf8f', 'H800', 'less powerful H800', 'export-controls-2023-rule'],
    ['the US Navy ban', '002_c8413939229a27e8', 'DeepSeek', 'US Navy has already prohibited', 'deepseek-security-risk'],
  ])('in a seed article, %s shows the card that answers it', async (_what, seed, term, near, expected) => {
    const page = await session.open(`/seeds/${seed}.html`);
    await page.front();
    await settled(page, 1);
    const card = await hoverOpen(page, term, near);
    expect(card.cardId).toBe(expected);
    expect(card.text).toMatch(/Says yes[\s\S]*Says no/);
    await page.close();
  });

  it('screenshots of the card in light and dark mode', async () => {
    await article.front();
    await hoverOpen(article, 'distillation', 'some evidence');
    await sleep(300);
    await article.screenshot(join(shots, `card-light-${kind}.png`));
    await article.press('Escape');
    await closed(article);

    const dark = await launch(kind, site, { colorScheme: 'dark' });
    try {
      const page = await dark.open('/demo-article.html');
      await settled(page, 10);
      const card = await hoverOpen(page, 'distillation', 'some evidence');
      const bg = await page.evaluate(() => {
        const el = document.querySelector('counterpoint-popover')!.shadowRoot!.querySelector('.cp-card')!;
        return getComputedStyle(el).backgroundColor;
      });
      // A dark card: each colour channel of its background is low.
      const channels = (bg.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      expect(channels.every((c) => c < 80), bg).toBe(true);
      expect(card.open).toBe(true);
      await sleep(300);
      await page.screenshot(join(shots, `card-dark-${kind}.png`));
    } finally {
      await dark.close();
    }
  });
});
