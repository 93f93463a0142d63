/**
 * Reading on a phone, in both browsers: a 390 px viewport and real touch
 * input (Chromium: touch emulation through the input pipeline; Firefox:
 * WebDriver BiDi actions with a touch pointer). A tap on a mention opens its
 * card as a sheet that never covers the tapped text, with every control at
 * least 44 × 44 px; a tap outside closes it; a tap on a mention inside a link
 * follows the link and opens no card.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { sleep, until } from './harness/until';
import { CARD_HOST, type ReaderPage } from './pages/reader';

// Screenshots of a run, to look at (docs/screenshots holds the published ones).
const shots = join(resolve(import.meta.dirname, '../..'), 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  const phone = async () => {
    const page = await browser.open('/touch.html');
    await page.tab.setViewport(390, 844);
    await page.settled(2);
    return page;
  };

  /** The card's float box, whether it is a sheet, its buttons' sizes, and the mention's box. */
  const layout = (page: ReaderPage, id: string, text: string) =>
    page.tab.evaluate(
      ({ host, id, text }) => {
        const root = document.querySelector(host)?.shadowRoot;
        const float = root?.querySelector('.cp-float');
        const p = document.getElementById(id)!;
        const node = [...p.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes(text))!;
        const range = document.createRange();
        const at = node.textContent!.indexOf(text);
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const box = (r: DOMRect) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right });
        return {
          sheet: !!float?.classList.contains('cp-sheet'),
          float: float ? box(float.getBoundingClientRect()) : null,
          mention: box(range.getBoundingClientRect()),
          buttons: [...(root?.querySelectorAll('button') ?? [])]
            .filter((b) => b.getClientRects().length)
            .map((b) => [b.getBoundingClientRect().width, b.getBoundingClientRect().height] as [number, number]),
          // The layout viewport: without a scrollbar, which a fixed sheet stops at.
          width: document.documentElement.clientWidth,
        };
      },
      { host: CARD_HOST, id, text },
    );

  for (const [id, text] of [
    ['plain', 'DeepSeek'],
    ['low', 'export controls'],
  ] as const) {
    it(`a tap on "${text}" opens its card as a full-width sheet that leaves the tapped text in view, with 44 px targets`, async () => {
      const page = await phone();
      const p = await page.pointAt(text, id === 'plain' ? 'Engineers' : 'officials');
      expect(p).not.toBeNull();
      await page.tab.tap(p!.x, p!.y);
      const card = await page.openCard(`the card for the tapped "${text}"`);
      expect(card.cardId).toBeTruthy();
      const l = await until(async () => {
        const now = await layout(page, id, text);
        return now.sheet && now.float ? now : null;
      }, 'the card as a sheet');
      expect(l.float!.left).toBeLessThanOrEqual(1);
      expect(l.float!.right).toBeGreaterThanOrEqual(l.width - 1);
      // Never over the tapped words: entirely below them or entirely above.
      expect(l.float!.top >= l.mention.bottom || l.float!.bottom <= l.mention.top, JSON.stringify(l)).toBe(true);
      if (id === 'plain') {
        await sleep(400); // past the card's fade-in
        await page.tab.screenshot(join(shots, `card-sheet-390-${kind}.png`));
      }
      for (const [w, h] of l.buttons) {
        // To the pixel: layout may land a 44 px box on 43.9999.
        expect(Math.round(w)).toBeGreaterThanOrEqual(44);
        expect(Math.round(h)).toBeGreaterThanOrEqual(44);
      }
    });
  }

  it('a tap outside the card closes it', async () => {
    const page = await phone();
    const p = (await page.pointAt('DeepSeek', 'Engineers'))!;
    await page.tab.tap(p.x, p.y);
    await page.openCard('the card for the tapped mention');
    // The heading: plain text, outside the card (the sheet sits below the mention).
    const h = await page.tab.evaluate(() => {
      const r = document.querySelector('h1')!.getBoundingClientRect();
      return { x: r.left + 10, y: r.top + r.height / 2 };
    });
    await page.tab.tap(h.x, h.y);
    await page.waitClosed();
  });

  it('a tap on a mention inside a link follows the link and opens no card', async () => {
    const page = await phone();
    const p = await page.tab.evaluate(() => {
      // The link's first line box (it wraps at this width): its word "DeepSeek" may be on either line, and the link is the link's either way.
      const r = document.getElementById('link')!.getClientRects()[0]!;
      return { x: r.left + Math.min(20, r.width / 2), y: r.top + r.height / 2 };
    });
    await page.tab.tap(p.x, p.y);
    await until(async () => (await page.tab.evaluate(() => location.hash)) === '#moved', 'the link to be followed');
    await sleep(600);
    expect((await page.card()).open).toBe(false);
  });
});
