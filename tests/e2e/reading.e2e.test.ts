/**
 * What a reader sees and does, in both browsers: a click pins the card (and
 * Esc, the close button or a click outside unpin it), focus leaving the card
 * closes it, calm highlights (the first mention of each topic per section
 * emphasised, repeats faint, "every mention" on request), the card's compact
 * first view (both sides at a glance at 390 px, the pager in its header,
 * "more", under ~120 words), no landmarks added to the page (axe with
 * best-practice rules), what the settings page says about a hover delay
 * it could not take as typed; on a dark page, the card dark and standing
 * out and the companion dark and axe-clean; and in forced colours (a
 * session of its own in each browser), the card and the companion in
 * system colours.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { axeViolations, WCAG_TAGS } from './harness/axe';
import type { Tab } from './harness/browsers';
import { getSync, setSync, toTab } from './harness/ext';
import { sleep, until } from './harness/until';
import { openCompanionBeside } from './pages/companion';
import { OptionsPage } from './pages/options';
import { CARD_HOST, probe, type ReaderPage } from './pages/reader';

// Screenshots of a run, to look at (docs/screenshots holds the published ones).
const shots = join(resolve(import.meta.dirname, '../..'), 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

/** Runs in the page: the card's shadow root (open in the e2e build). */
const inCard = <T>(page: ReaderPage, fn: string): Promise<T> =>
  page.tab.evaluate(
    ({ selector, fn }) => {
      const root = document.querySelector(selector)?.shadowRoot ?? null;
      return (0, eval)(`(${fn})`)(root) as T;
    },
    { selector: CARD_HOST, fn },
  );

/** WCAG contrast of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The card's edge colour and the page's background behind it. */
const edgeAndPage = (page: ReaderPage) =>
  page.tab.evaluate((selector) => {
    const card = document.querySelector(selector)!.shadowRoot!.querySelector('.cp-card')!;
    let bg = 'rgb(255, 255, 255)';
    for (let el: Element | null = document.body; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*, 0\)$/.test(c)) {
        bg = c;
        break;
      }
    }
    return { edge: getComputedStyle(card).borderLeftColor, page: bg };
  }, CARD_HOST);

describe.each(KINDS)('%s, dark', (kind) => {
  const browser = useBrowser(kind, { colorScheme: 'dark' });

  it('the card stands out from a dark page: its edge is 3:1 or more against the page', async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    const p = (await page.pointAt('H800', 'slower links'))!;
    await page.tab.click(p.x, p.y);
    await page.openCard('the card');
    const { edge, page: bg } = await edgeAndPage(page);
    const ratio = contrast(edge, bg);
    console.log(`[${kind} dark] card edge ${edge} on page ${bg}: ${ratio.toFixed(2)}:1`);
    expect(ratio).toBeGreaterThanOrEqual(3);
  });

  it('the card is dark on a dark page (screenshot)', async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    const card = await page.hover('distillation', 'some evidence');
    const bg = await page.tab.evaluate((selector) => {
      const el = document.querySelector(selector)!.shadowRoot!.querySelector('.cp-card')!;
      return getComputedStyle(el).backgroundColor;
    }, CARD_HOST);
    // A dark card: each colour channel of its background is low.
    const channels = (bg.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    expect(
      channels.every((c) => c < 80),
      bg,
    ).toBe(true);
    expect(card.open).toBe(true);
    await sleep(300);
    await page.tab.screenshot(join(shots, `card-dark-${kind}.png`));
  });

  it('the companion is dark too: a dark surface, readable list and card, its timeline axe-clean', async () => {
    const { companion } = await openCompanionBeside(browser);
    const colours = () =>
      companion.evaluate(() => {
        const bg = getComputedStyle(document.body).backgroundColor;
        const li = document.querySelector('.mentions li')!;
        const card = document.querySelector('.card-frame')?.shadowRoot?.querySelector('.cp-card');
        return {
          bg,
          item: getComputedStyle(li).color,
          card: card ? getComputedStyle(card).backgroundColor : null,
          cardText: card ? getComputedStyle(card).color : null,
        };
      });
    const dark = await until(async () => {
      const c = await colours();
      return c.card ? c : null;
    }, 'the companion to show a card');
    const lum = (c: string) => contrast(c, 'rgb(0, 0, 0)');
    console.log(
      `[${kind} dark] companion: page ${dark.bg}, list text ${dark.item} (${contrast(dark.item, dark.bg).toFixed(1)}:1), card ${dark.card} / ${dark.cardText}`,
    );
    // Dark: the surfaces are near black (under 2:1 against black), the text on them 4.5:1 or more.
    expect(lum(dark.bg)).toBeLessThan(2);
    expect(lum(dark.card!)).toBeLessThan(2);
    expect(contrast(dark.item, dark.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(dark.cardText!, dark.card!)).toBeGreaterThanOrEqual(4.5);
    await companion.evaluate(() => (document.querySelectorAll('.switch button')[1] as HTMLElement).click());
    await until(() => companion.evaluate(() => document.querySelectorAll('.timeline .mark').length > 3), 'the timeline');
    const violations = await axeViolations(companion);
    expect(violations, JSON.stringify(violations)).toEqual([]);
    await companion.close();
  });
});

describe.each(KINDS)('%s, forced colours', (kind) => {
  // A browser whose reader forces their own colours (Firefox: "override the
  // colours specified by the page"; Chromium: forced-colors emulation).
  const browser = useBrowser(kind, { forcedColors: true });

  /** The colour a keyword such as CanvasText resolves to, in a tab. */
  const systemColour = (tab: Tab, keyword: string) =>
    tab.evaluate((keyword) => {
      const probe = document.createElement('span');
      probe.style.color = keyword;
      document.documentElement.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    }, keyword);

  it('the card’s edge and its sides’ marks use the text colour', async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    expect(await page.tab.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
    const p = (await page.pointAt('DeepSeek', 'less than $6 million'))!;
    await page.tab.click(p.x, p.y);
    await page.openCard('the training-cost card');
    const c = await inCard<{ text: string; edge: string; side: string }>(
      page,
      `(root) => { const card = root.querySelector('.cp-card'); const cs = getComputedStyle(card); return { text: cs.color, edge: cs.borderLeftColor, side: getComputedStyle(root.querySelector('.cp-side')).borderTopColor }; }`,
    );
    expect(c.edge).toBe(c.text);
    expect(c.side).toBe(c.text);
  });

  it('the companion: its text and the timeline’s marks use system colours, and it stays axe-clean', async () => {
    const { companion } = await openCompanionBeside(browser);
    await companion.evaluate(() => (document.querySelectorAll('.switch button')[1] as HTMLElement).click());
    await until(() => companion.evaluate(() => document.querySelectorAll('.timeline .mark').length > 3), 'the timeline');
    const canvasText = await systemColour(companion, 'CanvasText');
    const seen = await companion.evaluate(() => ({
      fill: getComputedStyle(document.querySelector('.timeline .mark circle')!).fill,
      text: getComputedStyle(document.body).color,
    }));
    expect(seen).toEqual({ fill: canvasText, text: canvasText });
    expect(await axeViolations(companion)).toEqual([]);
    await companion.close();
  });
});

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  const article = async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    return page;
  };
  const pinned = (page: ReaderPage) => inCard<string | null>(page, `(root) => root?.querySelector('.cp-card')?.getAttribute('data-pinned') ?? null`);
  /** Clicks a mention without resting on it first (the click, not the hover delay, opens the card). */
  const clickMention = async (page: ReaderPage, text: string, near: string) => {
    const p = (await page.pointAt(text, near))!;
    await page.tab.click(p.x, p.y);
    return page.openCard(`the card pinned by a click on "${text}"`);
  };
  /** The centre of an element in the card, in viewport coordinates. */
  const cardPoint = (page: ReaderPage, selector: string) =>
    inCard<{ x: number; y: number }>(
      page,
      `(root) => { const r = root.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }`,
    );

  describe('click pins the card', () => {
    it('a click opens the card pinned; the pointer leaving and other mentions do not close it; Esc does', async () => {
      const page = await article();
      const card = await clickMention(page, 'H800', 'slower links');
      expect(await pinned(page)).toBe('true');
      expect(card.text).toContain('Pinned');
      // Away to the masthead, then over another mention: a hover card would have closed or moved.
      await page.tab.move(5, 20, 4);
      await sleep(900);
      const other = (await page.pointAt('distillation', 'some evidence'))!;
      await page.tab.move(other.x, other.y, 4);
      await sleep(1200);
      const still = await page.card();
      expect(still.open).toBe(true);
      expect(still.cardId).toBe(card.cardId);
      await page.closeCard();
    });

    it('a click on the mention of an open hover card pins it; a click outside unpins and closes it', async () => {
      const page = await article();
      await page.hover('DeepSeek', 'less than $6 million');
      expect(await pinned(page)).toBe('false');
      const p = (await page.pointAt('DeepSeek', 'less than $6 million'))!;
      await page.tab.click(p.x, p.y);
      await until(async () => (await pinned(page)) === 'true', 'the card to be pinned');
      expect((await page.card()).open).toBe(true);
      await page.tab.click(5, 20);
      await page.waitClosed();
    });

    it('a click inside a hover card ("more") pins it', async () => {
      const page = await article();
      await page.hover('DeepSeek', 'less than $6 million');
      expect(await pinned(page)).toBe('false');
      const more = await cardPoint(page, '.cp-more');
      await page.tab.click(more.x, more.y);
      await until(async () => (await pinned(page)) === 'true', 'the card to be pinned');
      await page.tab.move(5, 20, 4);
      await sleep(900);
      expect((await page.card()).open).toBe(true);
      await page.closeCard();
    });

    it('the close button unpins and closes it', async () => {
      const page = await article();
      await clickMention(page, 'distillation', 'some evidence');
      const close = await cardPoint(page, 'button[aria-label="Close card"]');
      await page.tab.click(close.x, close.y);
      await page.waitClosed();
    });

    it('a click on a mention inside a link is the link’s: no card is pinned', async () => {
      const page = await article();
      const inLink = await page.tab.evaluate(() => {
        const a = [...document.querySelectorAll('a[href]')].find((el) => /DeepSeek|H800|export controls|distillation/.test(el.textContent ?? ''));
        if (!a) return null;
        a.addEventListener('click', (e) => e.preventDefault());
        const r = a.getBoundingClientRect();
        return { x: r.left + 4, y: r.top + r.height / 2 };
      });
      if (!inLink) return; // the demo article has no linked mention: nothing to check
      await page.tab.click(inLink.x, inLink.y);
      await sleep(200);
      expect(await pinned(page)).not.toBe('true');
    });
  });

  describe('focus', () => {
    it('tabbing past the card’s last control closes it; the page keeps the focus', async () => {
      const page = await article();
      const tabId = await browser.tabId('/demo-article.html');
      await toTab(browser.control, tabId, { type: 'stepMention', direction: 1 });
      await page.openCard('the keyboard-opened card');
      let closed = false;
      for (let i = 0; i < 40 && !closed; i++) {
        await page.tab.press('Tab');
        closed = !(await page.card()).open;
      }
      expect(closed, 'the card closed once focus left it').toBe(true);
      const active = await page.tab.evaluate(
        (selector) => ({ inCard: !!document.activeElement?.matches(selector), tag: document.activeElement?.tagName }),
        CARD_HOST,
      );
      expect(active.inCard).toBe(false);
    });

    it('shift+tab before the card’s first control closes it too', async () => {
      const page = await article();
      const tabId = await browser.tabId('/demo-article.html');
      await toTab(browser.control, tabId, { type: 'stepMention', direction: 1 });
      await page.openCard('the keyboard-opened card');
      let closed = false;
      for (let i = 0; i < 40 && !closed; i++) {
        await page.tab.press('Shift+Tab');
        closed = !(await page.card()).open;
      }
      expect(closed).toBe(true);
    });
  });

  describe('calm highlights', () => {
    /** Runs in the page: every painted mention, whether it is emphasised, and its section (the nearest heading before it). */
    const layout = (page: ReaderPage) =>
      Promise.all([page.names(), probe<Record<string, string>>(page.tab, 'emphasis')]).then(([names, emphasis]) =>
        page.tab.evaluate(
          ({ names, emphasis }) => {
            const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
            const before = (a: Node, b: Node) => !!(b.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_PRECEDING);
            const out: { topic: string; section: number; first: boolean; order: number; text: string }[] = [];
            for (const [topic, name] of Object.entries(names)) {
              const strong = CSS.highlights.get(emphasis[topic] ?? '') as Highlight | undefined;
              for (const r of (CSS.highlights.get(name) as Highlight | undefined) ?? []) {
                let section = -1;
                headings.forEach((h, i) => {
                  if (h === r.startContainer.parentElement?.closest('h1, h2, h3, h4, h5, h6') || before(h, r.startContainer)) section = i;
                });
                const live = document.createRange();
                live.setStart(r.startContainer, r.startOffset);
                live.setEnd(r.endContainer, r.endOffset);
                out.push({ topic, section, first: !!strong?.has(r), order: 0, text: live.toString() });
                (out[out.length - 1] as { range?: AbstractRange }).range = r;
              }
            }
            const all = out as ((typeof out)[number] & { range: AbstractRange })[];
            all.sort((a, b) =>
              a.range.startContainer === b.range.startContainer
                ? a.range.startOffset - b.range.startOffset
                : before(a.range.startContainer, b.range.startContainer)
                  ? -1
                  : 1,
            );
            return all.map(({ topic, section, first, text }, order) => ({ topic, section, first, order, text }));
          },
          { names, emphasis },
        ),
      );
    const rules = (page: ReaderPage) => page.drawnRules();

    it('by default, the first mention of each topic in each section is emphasised, repeats are faint, and a repeat still opens its card', async () => {
      const page = await article();
      const marks = await until(async () => {
        const m = await layout(page);
        return m.length > 10 && m.some((x) => x.first) ? m : null;
      }, 'emphasised first mentions');
      const seen = new Set<string>();
      for (const m of marks) {
        const key = `${m.topic}|${m.section}`;
        expect(m.first, `${m.text} (#${m.order}, ${key})`).toBe(!seen.has(key));
        seen.add(key);
      }
      const firsts = marks.filter((m) => m.first).length;
      expect(firsts).toBeLessThan(marks.length / 2);
      // Faint repeats: a 1 px dotted underline; first mentions: 2 px dotted over a faint tint. No solid underline anywhere.
      const css = await rules(page);
      expect(css).toMatch(/1px dotted|dotted 1px/);
      expect(css).toMatch(/2px dotted|dotted 2px/);
      expect(css).not.toMatch(/text-decoration: (?![^;]*dotted)/);
      // A repeat is reached by hover like any mention.
      const repeat = marks.find((m) => !m.first && m.text === 'DeepSeek')!;
      expect(repeat).toBeDefined();
      const nth = marks.filter((m) => m.text === 'DeepSeek' && m.order < repeat.order).length;
      const card = await page.hover('DeepSeek', '', nth);
      expect(card.open).toBe(true);
    });

    it('"mark every mention" (a setting) draws every mention strongly, and back', async () => {
      const page = await article();
      await until(async () => /1px dotted|dotted 1px/.test(await rules(page)), 'faint repeats');
      const options = new OptionsPage(browser.control);
      await options.setMarkEvery(true);
      await until(async () => (await getSync(browser.control)).markEvery === true, 'the setting saved');
      await until(async () => !/1px dotted|dotted 1px/.test(await rules(page)), 'every mention drawn strongly');
      expect(await rules(page)).toMatch(/2px dotted|dotted 2px/);
      await options.setMarkEvery(false);
      await until(async () => /1px dotted|dotted 1px/.test(await rules(page)), 'faint repeats again');
    });

    it('the soft-tint style is calm too: a stronger tint for first mentions, a fainter one for repeats, no underline', async () => {
      const page = await article();
      const names = await page.names();
      await setSync(browser.control, { topicStyles: Object.fromEntries(Object.keys(names).map((t) => [t, 'background'])) });
      await until(async () => !/text-decoration/.test(await rules(page)), 'the tint style');
      const css = await rules(page);
      expect(css).toMatch(/26%/);
      expect(css).toMatch(/10%/);
    });
  });

  describe('the card', () => {
    /** The words a reader sees before "more", from the card's own text (the header included). */
    const wordsBeforeMore = (page: ReaderPage) =>
      inCard<{ words: number; text: string; hasMore: boolean }>(
        page,
        `(root) => {
          const card = root.querySelector('.cp-card');
          const more = root.querySelector('.cp-more');
          const range = document.createRange();
          range.setStart(card, 0);
          if (more) range.setEndBefore(more); else range.setEnd(card, card.childNodes.length);
          const text = range.toString().replace(/\\s+/g, ' ').trim();
          return { words: text.split(' ').filter(Boolean).length, text, hasMore: !!more };
        }`,
      );

    it('opens short: the pager in the header, the question, as-of, summary and both sides’ labels and headlines, the rest behind "more"', async () => {
      await browser.control.evaluate(() =>
        (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ cardHintDismissed: true }),
      );
      const page = await article();
      await clickMention(page, 'DeepSeek', 'less than $6 million');
      const shape = await inCard<{ pagerInHead: boolean; sides: number; sideLabels: string[]; asOf: string; moreExpanded: string | null; landmarks: number }>(
        page,
        `(root) => ({
          pagerInHead: !!root.querySelector('.cp-head .cp-pager'),
          sides: root.querySelectorAll('.cp-sides .cp-side').length,
          sideLabels: [...root.querySelectorAll('.cp-sides .cp-side-label')].map((e) => e.textContent.trim()),
          asOf: root.querySelector('.cp-asof')?.textContent ?? '',
          moreExpanded: root.querySelector('.cp-more')?.getAttribute('aria-expanded') ?? null,
          landmarks: root.querySelectorAll('header, footer, nav, aside, main, section[aria-label], section[aria-labelledby], [role=banner], [role=contentinfo], [role=region], [role=navigation]').length,
        })`,
      );
      expect(shape.pagerInHead).toBe(true);
      expect(shape.sides).toBe(2);
      expect(shape.sideLabels.every((l) => l.length > 2)).toBe(true);
      expect(shape.asOf).toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(shape.moreExpanded).toBe('false');
      expect(shape.landmarks).toBe(0);
      const first = await wordsBeforeMore(page);
      expect(first.words, first.text).toBeLessThanOrEqual(120);
      console.log(`[${kind}] words before "more" on the training-cost card: ${first.words}`);
      // "More" by keyboard: focus it, press Enter, and the viewpoints, facts and sources appear.
      const more = await cardPoint(page, '.cp-more');
      await page.tab.click(more.x, more.y);
      await until(() => inCard<boolean>(page, `(root) => root.querySelector('.cp-more')?.getAttribute('aria-expanded') === 'true'`), 'more to open');
      const opened = await inCard<{ views: number; sources: number; glossary: number; kinds: string[]; described: number; quoted: number }>(
        page,
        `(root) => ({
          views: root.querySelectorAll('.cp-more-body .cp-view').length,
          sources: root.querySelectorAll('.cp-source-list li').length,
          glossary: root.querySelectorAll('.cp-glossary dt').length,
          kinds: [...new Set([...root.querySelectorAll('.cp-source-list .cp-tag')].map((e) => e.textContent))],
          described: root.querySelectorAll('.cp-source-list .cp-described').length,
          quoted: root.querySelectorAll('.cp-source-list .cp-stitle:not(.cp-described)').length,
        })`,
      );
      expect(opened.views).toBeGreaterThanOrEqual(2);
      expect(opened.sources).toBeGreaterThan(0);
      // Jargon explained; sources tagged in plain words; our descriptions marked as such, never quoted as headlines.
      expect(opened.glossary).toBeGreaterThan(0);
      expect(opened.kinds.every((k) => ['original document', 'news report', 'analysis'].includes(k!))).toBe(true);
      expect(opened.described + opened.quoted).toBe(opened.sources);
      const describedText = await inCard<string>(page, `(root) => root.querySelector('.cp-source-list .cp-described')?.textContent ?? ''`);
      if (opened.described) expect(describedText).toMatch(/^Our description: /);
      await page.tab.press('Enter');
      await until(
        () => inCard<boolean>(page, `(root) => root.querySelector('.cp-more')?.getAttribute('aria-expanded') === 'false'`),
        'more to close by keyboard',
      );
    });

    it('every card of every topic stays under 120 words before "more"', async () => {
      const page = await article();
      const counts: Record<string, number> = {};
      for (const [term, near] of [
        ['DeepSeek', 'less than $6 million'],
        ['distillation', 'some evidence'],
        ['H800', 'slower links'],
      ] as const) {
        await clickMention(page, term, near);
        const total = await inCard<number>(page, `(root) => Number((root.querySelector('.cp-count')?.textContent ?? '1 of 1').split(' of ')[1])`);
        for (let i = 0; i < total; i++) {
          const { words, text } = await wordsBeforeMore(page);
          const id = (await page.card()).cardId!;
          counts[id] = words;
          expect(words, `${id}: ${text}`).toBeLessThanOrEqual(120);
          const next = await cardPoint(page, 'button[aria-label="Next card on this topic"]');
          await page.tab.click(next.x, next.y);
          await until(async () => (await page.card()).cardId !== id || total === 1, 'the next card');
        }
        await page.closeCard();
      }
      const values = Object.values(counts).sort((a, b) => a - b);
      console.log(
        `[${kind}] words before "more": ${values.length} cards, median ${values[Math.floor(values.length / 2)]}, max ${values[values.length - 1]} (${Object.entries(counts).find(([, n]) => n === values[values.length - 1])?.[0]})`,
      );
    });

    it('a definition card links to the debates on it, and a link opens that debate', async () => {
      const page = await article();
      await clickMention(page, 'DeepSeek', 'less than $6 million');
      let link: { text: string; x: number; y: number } | null = null;
      for (let i = 0; i < 20 && !link; i++) {
        link = await inCard<{ text: string; x: number; y: number } | null>(
          page,
          `(root) => { const b = root.querySelector('.cp-related button'); if (!b) return null; b.scrollIntoView({ block: 'nearest' }); const r = b.getBoundingClientRect(); return { text: b.textContent, x: r.left + 8, y: r.top + r.height / 2 }; }`,
        );
        if (link) break;
        const id = (await page.card()).cardId;
        const next = await cardPoint(page, 'button[aria-label="Next card on this topic"]');
        await page.tab.click(next.x, next.y);
        await until(async () => (await page.card()).cardId !== id, 'the next card');
      }
      expect(link, 'a card with related debates').not.toBeNull();
      await page.tab.click(link!.x, link!.y);
      await until(
        () => inCard<boolean>(page, `(root) => root.querySelector('.cp-question')?.textContent === ${JSON.stringify(link!.text)}`),
        'the related debate',
      );
      expect(await inCard<number>(page, `(root) => root.querySelectorAll('.cp-sides .cp-side').length`)).toBe(2);
    });

    it('the first card carries a one-time hint; "Got it" dismisses it for good and the card stays open', async () => {
      const setHint = (dismissed: boolean) =>
        browser.control.evaluate((dismissed) => {
          type Api = { storage: { local: { set(v: object): Promise<void> } } };
          const g = globalThis as unknown as { browser?: Api; chrome?: Api };
          return (g.browser ?? g.chrome)!.storage.local.set({ cardHintDismissed: dismissed });
        }, dismissed);
      await setHint(false);
      const page = await article();
      const card = await clickMention(page, 'H800', 'slower links');
      expect(card.text).toMatch(/not links/);
      const gotIt = await cardPoint(page, '.cp-hint button');
      await page.tab.click(gotIt.x, gotIt.y);
      await until(() => inCard<boolean>(page, `(root) => !root.querySelector('.cp-hint')`), 'the hint to go');
      expect((await page.card()).open).toBe(true);
      await page.closeCard();
      const again = await clickMention(page, 'distillation', 'some evidence');
      expect(again.text).not.toMatch(/not links/);
    });

    it('at 390 px both sides are side by side and in view at first sight', async () => {
      const page = await article();
      await page.tab.setViewport(390, 844);
      await sleep(300);
      await clickMention(page, 'DeepSeek', 'less than $6 million');
      const sides = await inCard<{ left: number; right: number; top: number; bottom: number }[]>(
        page,
        `(root) => [...root.querySelectorAll('.cp-sides .cp-side')].map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; })`,
      );
      expect(sides.length).toBe(2);
      const [yes, no] = sides as [(typeof sides)[0], (typeof sides)[0]];
      expect(Math.abs(yes.top - no.top)).toBeLessThan(2);
      expect(no.left).toBeGreaterThanOrEqual(yes.right);
      for (const s of sides) {
        expect(s.right).toBeLessThanOrEqual(390);
        expect(s.top).toBeGreaterThanOrEqual(0);
      }
      const card = await page.card();
      expect(card.rect!.right).toBeLessThanOrEqual(390);
    });

    it('adds no landmark to the page: axe with best-practice rules finds nothing in the card', async () => {
      const page = await article();
      await clickMention(page, 'distillation', 'some evidence');
      const more = await cardPoint(page, '.cp-more');
      await page.tab.click(more.x, more.y);
      await until(() => inCard<boolean>(page, `(root) => !!root.querySelector('.cp-more-body')`), 'more to open');
      const violations = await axeViolations(page.tab, CARD_HOST, [...WCAG_TAGS, 'best-practice']);
      expect(violations, JSON.stringify(violations)).toEqual([]);
      // And on the whole page: no duplicate banner or contentinfo from the card.
      const all = await axeViolations(page.tab, undefined, ['best-practice']);
      expect(all.filter((v) => /landmark-no-duplicate|landmark-unique/.test(v.id))).toEqual([]);
    });
  });

  describe('contrast', () => {
    it('the card’s edge stands out from a light page (3:1 or more)', async () => {
      const page = await article();
      await clickMention(page, 'H800', 'slower links');
      const { edge, page: bg } = await edgeAndPage(page);
      const ratio = contrast(edge, bg);
      console.log(`[${kind}] card edge ${edge} on page ${bg}: ${ratio.toFixed(2)}:1`);
      expect(ratio).toBeGreaterThanOrEqual(3);
    });
  });

  describe('settings say what they saved', () => {
    const options = () => new OptionsPage(browser.control);

    it('a hover delay below the range is saved at 100 ms, and the page says so and why', async () => {
      await browser.control.front();
      await options().setHoverDelay(5);
      const said = await until(async () => {
        const s = await options().status();
        return /100/.test(s) ? s : null;
      }, 'the delay message');
      expect(said).toMatch(/Saved 100 ms, not 5/);
      expect(said).toMatch(/cannot be shorter than 100 ms/);
      expect(said).not.toMatch(/^Saved\.$/);
      expect((await getSync(browser.control)).hoverDelayMs).toBe(100);
      expect(await options().hoverDelayField()).toBe('100');
    });

    it('a hover delay above the range is saved at 2000 ms, and the page says so', async () => {
      await until(async () => (await options().hoverDelayField()) === '400', 'the settings page to show the default delay');
      await options().setHoverDelay(9000);
      const said = await until(async () => {
        const s = await options().status();
        return /2000/.test(s) ? s : null;
      }, 'the delay message');
      expect(said).toMatch(/Saved 2000 ms, not 9000/);
      expect((await getSync(browser.control)).hoverDelayMs).toBe(2000);
    });

    it('an empty delay is not saved, and the page says what stays in effect', async () => {
      await until(async () => (await options().hoverDelayField()) === '400', 'the settings page to show the default delay');
      await options().setHoverDelay('');
      const said = await until(async () => {
        const s = await options().status();
        return /Not saved/.test(s) ? s : null;
      }, 'the not-saved message');
      expect(said).toMatch(/stays at 400 ms/);
      expect('hoverDelayMs' in (await getSync(browser.control))).toBe(false);
      expect(await options().hoverDelayField()).toBe('400');
    });

    it('a delay in range says what it saved', async () => {
      await options().setHoverDelay(650);
      expect(
        await until(async () => {
          const s = await options().status();
          return /650/.test(s) ? s : null;
        }, 'the saved message'),
      ).toMatch(/Saved: cards open after 650 ms/);
    });
  });
});
