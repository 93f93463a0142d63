/**
 * Pages that work against the extension, in both browsers: a page that wipes
 * the highlight registry, one that deletes the card, one that unsets every
 * style, a modal dialog, a DOM that changes every 10 ms, pages of extreme size
 * and shape, and editors and opt-outs that must be left alone. The pages live
 * in tests/fixtures/hostile/; monitor.js there records frame gaps (and long
 * tasks where the engine reports them) for the responsiveness checks.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { findings, toTab } from './harness/ext';
import { sleep, until } from './harness/until';
import { CARD_HOST } from './pages/reader';
import { MAX_PAINTED } from '../../lib/limits';
import type { PageFindings } from '../../lib/protocol';

/**
 * What is asserted about time: only that the page never froze, a bound of
 * two seconds that no amount of machine load explains away (this suite
 * caught multi-second stalls before they were fixed). Our longest task and
 * the frame gaps are logged here and measured properly by `npm run bench`,
 * where the 50 ms long-task target lives: a gate on a figure that a busy
 * machine moves by 10 % would turn a slow second into a red build.
 *
 * Why two and not one: on the 100,000-node page, Chromium restyles every
 * element once when our highlight stylesheet is adopted (a `::highlight()`
 * rule can style any element's text). That rendering task is ours and it is
 * long: about 600 ms on an idle 2-core machine (a trace puts 606 ms in
 * UpdateLayoutTree; the page alone has no such task), and 1.0–1.2 s with two
 * browsers running beside it, where a one-second bound failed at random.
 * docs/architecture.md records it as a known cost; the test keeps a bound
 * that only a real freeze crosses.
 */
const FROZEN_MS = 2000;

interface Monitor {
  maxGap: number;
  frames: number;
  ms: number;
  slowFrames: number[];
  longTasks: number[];
  longTaskSupported: boolean;
}
type PageGlobals = {
  __mon: { stop(): Monitor; start(): void };
  __beforeClear: { at: number; names: string[]; ranges: number }[];
  __clears: number;
  __removed: number;
  __armed: boolean;
  __storm: { added: number; removed: number; running: boolean; ticks: number; start(ms: number): void };
  __chars: number;
  __textNodes: number;
  __depth: number;
};

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  /** Opens a hostile page in a fresh tab. */
  const load = (path: string) => browser.open(path);

  /** Waits until the content script on `path` has finished its page-wide pass, and returns its findings. */
  async function scanned(path: string, timeoutMs = 60_000): Promise<PageFindings> {
    const tabId = await browser.tabId(path);
    return until(
      async () => {
        const f = await findings(browser.control, tabId).catch(() => null);
        return f && f.state === 'done' ? f : null;
      },
      `the scan of ${path}`,
      timeoutMs,
    );
  }

  it('highlights wiped by the page come back without a DOM change and at its next DOM change, and hovering works while they are gone', async () => {
    const page = await load('/hostile/clear-highlights.html');
    const records = () => page.tab.evaluate(() => (globalThis as unknown as PageGlobals).__beforeClear);
    const first = await until(async () => (await records()).find((r) => r.ranges > 0), 'highlights to be registered before a wipe');
    expect(first.names.length).toBeGreaterThan(0);
    const painted = first.ranges;

    // Wiped, with no DOM change: the once-a-second repair puts them back between wipes.
    await until(async () => (await page.tab.evaluate(() => CSS.highlights.size)) === 0, 'the page to wipe the highlights');
    const wipedAt = await page.tab.evaluate(() => performance.now());
    await until(async () => (await records()).some((r) => r.at > wipedAt && r.ranges > 0), 'the repair to put them back before a later wipe');

    // A DOM change makes the scanner report, and the painter re-registers everything.
    const changedAt = await page.tab.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Later, DeepSeek said the H800 cluster was enough.';
      document.getElementById('more')!.append(p);
      return performance.now();
    });
    const back = await until(
      async () => (await records()).find((r) => r.at > changedAt && r.ranges > painted),
      'highlights re-registered with the new mentions',
    );
    expect(back.names.sort()).toEqual(first.names.sort());

    // Hit-testing does not depend on the registry: with it wiped, a hover still opens the card.
    await until(async () => (await page.tab.evaluate(() => CSS.highlights.size)) === 0, 'the page to wipe the highlights again');
    const card = await page.hover('DeepSeek', 'few H800');
    expect(card.cardId).toBeTruthy();
    await page.closeCard();
    expect(page.tab.errors).toEqual([]);
  });

  it('a card whose host the page removed opens again on the next hover', async () => {
    const page = await load('/hostile/remove-popover.html');
    await page.settled(3);
    const removed = () => page.tab.evaluate(() => (globalThis as unknown as PageGlobals).__removed);
    // The page removes an open card's host once armed: armed after each card is seen open.
    const arm = () => page.tab.evaluate(() => void ((globalThis as unknown as PageGlobals).__armed = true));
    const first = await page.hover('DeepSeek', 'alleged distillation');
    await arm();
    await until(async () => (await removed()) >= 1 && (await page.hostCount()) === 0, 'the page to remove the card host');
    // Leave the mention past the close grace period, then come back.
    await page.tab.move(2, 2);
    await sleep(700);
    const again = await page.hover('DeepSeek', 'alleged distillation');
    expect(again.cardId).toBe(first.cardId);
    expect(again.rect && again.rect.right - again.rect.left).toBeGreaterThan(100);
    await arm();
    await until(async () => (await removed()) >= 2 && (await page.hostCount()) === 0, 'the page to remove the card host a second time');
    // Straight to another mention, without a pause.
    const other = await page.hover('DeepSeek', 'Washington');
    expect(other.open).toBe(true);
    expect(await page.hostCount()).toBe(1);
    expect(page.tab.errors).toEqual([]);
  });

  it.each(['open', 'root'])('a page that puts a new document in place of its own (%s) is read again, and its new text opens a card', async (how) => {
    const page = await load(`/hostile/rewrites-itself.html?how=${how}`);
    await until(() => page.tab.evaluate(() => (globalThis as unknown as { __rewritten?: boolean }).__rewritten === true), 'the page to rewrite itself');
    expect(await page.settled(3)).toEqual(expect.arrayContaining(['DeepSeek', 'export controls', 'distillation']));
    // document.open() took every listener on the document and the window with it: hovering still works.
    const card = await page.hover('DeepSeek', 'alleged distillation');
    expect(card.open).toBe(true);
    expect(card.cardId).toBeTruthy();
    await page.closeCard();
    expect(page.tab.errors).toEqual([]);
  });

  it('reads text the page shows after its scan: the page faded in, a tab, a hidden block, a details element the reader opens', async () => {
    const page = await load('/hostile/shown-later.html');
    await until(() => page.tab.evaluate(() => (globalThis as unknown as { __shown?: boolean }).__shown === true), 'the page to show its parts');
    const shown = ['DeepSeek', 'Bureau of Industry and Security', 'knowledge distillation'];
    await until(async () => {
      const texts = await page.texts();
      return shown.every((t) => texts.includes(t)) ? texts : null;
    }, 'the text shown later to be highlighted');
    expect(await page.texts()).not.toContain('Liang Wenfeng');
    const summary = await page.tab.evaluate(() => {
      const r = document.getElementById('open-details')!.getBoundingClientRect();
      return { x: r.left + 10, y: r.top + r.height / 2 };
    });
    await page.tab.click(summary.x, summary.y);
    await until(async () => (await page.texts()).includes('Liang Wenfeng') || null, 'the text of the opened details to be highlighted');
    const card = await page.hover('Liang Wenfeng');
    expect(card.open).toBe(true);
    await page.closeCard();
    expect(page.tab.errors).toEqual([]);
  });

  it('an article hidden with aria-hidden behind a consent dialog is read once the reader accepts', async () => {
    const page = await load('/hostile/consent-dialog.html');
    await scanned('/hostile/consent-dialog.html');
    expect(await page.texts()).toEqual([]);
    const accept = await page.tab.evaluate(() => {
      const r = document.getElementById('accept')!.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.tab.click(accept.x, accept.y);
    expect(await page.settled(3)).toEqual(expect.arrayContaining(['DeepSeek', 'export controls']));
    const card = await page.hover('DeepSeek', 'alleged distillation');
    expect(card.open).toBe(true);
    await page.closeCard();
    expect(page.tab.errors).toEqual([]);
  });

  it.each([
    ['the strictest Content-Security-Policy (no inline style, Trusted Types for every sink)', 'strict-csp'],
    ['a CSP sandbox (an opaque origin, no storage of its own)', 'sandboxed'],
  ])('a page with %s is highlighted, and its card opens laid out, with no violation', async (_, name) => {
    const page = await load(`/hostile/${name}.html`);
    expect(await page.settled(3)).toEqual(expect.arrayContaining(['DeepSeek', 'export controls', 'distillation']));
    const card = await page.hover('DeepSeek', 'alleged distillation');
    expect(card.open).toBe(true);
    expect(card.cardId).toBeTruthy();
    const r = card.rect!;
    expect(r.right - r.left).toBeGreaterThanOrEqual(200);
    expect(r.bottom - r.top).toBeGreaterThan(60);
    // The card's own styles applied: its box is laid out and its background painted.
    const look = await page.tab.evaluate((selector) => {
      const el = document.querySelector(selector)!.shadowRoot!.querySelector('.cp-card')!;
      const style = getComputedStyle(el);
      return { display: style.display, background: style.backgroundColor };
    }, CARD_HOST);
    expect(look.display).not.toBe('inline');
    expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
    await page.closeCard();
    const violations = () => page.tab.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
    expect(await violations()).toEqual([]);
    expect(page.tab.errors).toEqual([]);
    // The policy is in force and the page sees what it refuses: an inline style of its own is not applied, and is recorded.
    const colour = await page.tab.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = '#one { color: rgb(1, 2, 3) }';
      document.head.append(style);
      return getComputedStyle(document.getElementById('one')!).color;
    });
    expect(colour).not.toBe('rgb(1, 2, 3)');
    await until(async () => (await violations()).some((v) => v.startsWith('style-src')) || null, 'the page to record its own refused style');
  });

  it('a page that stops pointer and key events from propagating still opens the card on hover, and Esc still closes it', async () => {
    const page = await load('/hostile/stops-events.html');
    expect(await page.settled(3)).toContain('DeepSeek');
    const card = await page.hover('DeepSeek', 'alleged distillation');
    expect(card.open).toBe(true);
    expect(await page.tab.evaluate(() => (globalThis as unknown as { __stopped: number }).__stopped)).toBeGreaterThan(0);
    await page.closeCard();
    expect(page.tab.errors).toEqual([]);
  });

  it('`* { all: unset !important }` neither hides the highlights nor breaks the card', async () => {
    const page = await load('/hostile/all-unset.html');
    expect(await page.settled(3)).toContain('DeepSeek');
    const card = await page.hover('DeepSeek', 'alleged distillation');
    const r = card.rect!;
    const width = r.right - r.left;
    const height = r.bottom - r.top;
    console.log(`[hostile ${kind}] card under all:unset: ${Math.round(width)}×${Math.round(height)} at (${Math.round(r.left)}, ${Math.round(r.top)})`);
    expect(width).toBeGreaterThanOrEqual(200);
    expect(width).toBeLessThanOrEqual(600);
    expect(height).toBeGreaterThan(60);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(card.viewport.width);
    // The card's content is laid out, not a collapsed run of inline text.
    const display = await page.tab.evaluate(
      (selector) => getComputedStyle(document.querySelector(selector)!.shadowRoot!.querySelector('.cp-card')!).display,
      CARD_HOST,
    );
    expect(display).not.toBe('inline');
  });

  it("hovering a mention inside the page's open modal <dialog> shows the card on top", async () => {
    const page = await load('/hostile/modal-dialog.html');
    await page.settled(3);
    expect(await page.rangesInside('#wall')).toBeGreaterThanOrEqual(3);
    const card = await page.hover('DeepSeek', 'alleged distillation');
    const r = card.rect!;
    const hit = await page.tab.evaluate(
      ({ x, y, selector }) => {
        const el = document.elementFromPoint(x, y);
        const host = document.querySelector(selector);
        return { onCard: !!el && !!host && (el === host || host.contains(el)), dialogOpen: (document.getElementById('wall') as HTMLDialogElement).open };
      },
      { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, selector: CARD_HOST },
    );
    expect(hit).toEqual({ onCard: true, dialogOpen: true });
  });

  it('keeps up with a DOM that changes every 10 ms for 10 s, and the page never freezes', async () => {
    const page = await load('/hostile/mutation-storm.html');
    await page.settled(3);
    const started = Date.now();
    await page.tab.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__mon.start();
      g.__storm.start(10_000);
    });
    // At three moments, a paragraph added after that moment must get highlighted.
    const lags: number[] = [];
    for (const at of [1500, 4500, 7500]) {
      await sleep(Math.max(0, started + at - Date.now()));
      const n = await page.tab.evaluate(() => (globalThis as unknown as PageGlobals).__storm.added);
      const t0 = Date.now();
      await until(async () => {
        const names = Object.values(await page.names());
        return page.tab.evaluate(
          ({ names, n }) => {
            for (const name of names) {
              for (const r of CSS.highlights.get(name) ?? []) {
                const p = r.startContainer.parentElement?.closest('#feed p') as HTMLElement | null | undefined;
                if (p && Number(p.dataset.n) > n) return true;
              }
            }
            return false;
          },
          { names, n },
        );
      }, `a paragraph added after #${n} to be highlighted`);
      lags.push(Date.now() - t0);
    }
    await until(() => page.tab.evaluate(() => !(globalThis as unknown as PageGlobals).__storm.running), 'the storm to end');
    const mon = await page.tab.evaluate(() => (globalThis as unknown as PageGlobals).__mon.stop());
    const storm = await page.tab.evaluate(() => {
      const s = (globalThis as unknown as PageGlobals).__storm;
      return { added: s.added, removed: s.removed };
    });
    // After the last change is handled: every paragraph on the page is highlighted, nothing detached is.
    const end = await until(async () => {
      const covered = await page.blocksWithHighlights('#feed p');
      const paragraphs = await page.tab.evaluate(() => document.querySelectorAll('#feed p').length);
      return covered === paragraphs ? { paragraphs, covered } : null;
    }, 'every paragraph highlighted');
    const names = Object.values(await page.names());
    const detached = await page.tab.evaluate(
      (names) => names.reduce((n, name) => n + [...(CSS.highlights.get(name) ?? [])].filter((r) => !r.startContainer.isConnected).length, 0),
      names,
    );
    const tabId = await browser.tabId('/hostile/mutation-storm.html');
    const f = await findings(browser.control, tabId);
    console.log(
      `[hostile ${kind}] mutation storm: ${storm.added} added / ${storm.removed} removed in ${mon.ms} ms; detection lag ${lags.join(', ')} ms (incl. polling); ` +
        `frames ${mon.frames}, max frame gap ${mon.maxGap} ms, gaps > 50 ms: [${mon.slowFrames.join(', ')}]; ` +
        (mon.longTaskSupported ? `long tasks: ${mon.longTasks.length} [${mon.longTasks.join(', ')}] ms` : 'long tasks: not reported by this engine'),
    );
    expect(storm.added).toBeGreaterThan(300);
    expect(end).toEqual({ paragraphs: 40, covered: 40 });
    expect(detached).toBe(0);
    expect(f.total).toBe(await page.rangeCount());
    // At least a frame a second: the page kept rendering.
    expect(mon.frames).toBeGreaterThan(10);
    expect(mon.maxGap).toBeLessThan(FROZEN_MS);
    const work = await page.workStats();
    console.log(`[hostile ${kind}] mutation storm: our work ${work.busyMs.toFixed(0)} ms in ${work.slices} slices, longest ${work.longestMs.toFixed(1)} ms`);
    expect(work.longestMs).toBeLessThan(FROZEN_MS);
    expect(page.tab.errors).toEqual([]);
  }, 60_000);

  describe('extreme pages stay responsive and are reported', () => {
    // Chromium's renderer crashes on its own (no extension loaded) somewhere
    // between 2,000 and 3,000 nested divs, so it gets 2,000; Firefox gets 5,000.
    const depth = kind === 'chromium' ? 2000 : 5000;
    it.each([
      { name: 'big-text', what: 'one 10 MB text node' },
      { name: 'many-nodes', what: '100,000 text nodes' },
      { name: 'deep-nesting', what: `${depth} levels of nesting` },
      { name: 'many-mentions', what: 'over 10,000 mentions' },
    ])(
      '$what',
      async ({ name }) => {
        const path = name === 'deep-nesting' ? `/hostile/${name}.html?depth=${depth}` : `/hostile/${name}.html`;
        const loadStart = Date.now();
        const page = await load(path);
        const loadedMs = Date.now() - loadStart;
        const f = await scanned(path);
        const scannedMs = Date.now() - loadStart;
        await sleep(1000);
        const mon = await page.tab.evaluate(() => (globalThis as unknown as PageGlobals).__mon.stop());
        const painted = await page.rangeCount();
        const shape = await page.tab.evaluate(() => {
          const g = globalThis as unknown as PageGlobals;
          return { chars: g.__chars, textNodes: g.__textNodes, depth: g.__depth };
        });
        console.log(
          `[hostile ${kind}] ${name} ${JSON.stringify(shape)}: loaded in ${loadedMs} ms, scan done by ${scannedMs} ms; total ${f.total}, painted ${painted}, capped ${f.capped}; ` +
            `frames ${mon.frames} in ${mon.ms} ms, max frame gap ${mon.maxGap} ms, gaps > 50 ms: [${mon.slowFrames.join(', ')}]` +
            (mon.longTaskSupported ? `; long tasks [${mon.longTasks.join(', ')}] ms` : ''),
        );
        expect(mon.frames).toBeGreaterThan(1);
        expect(mon.maxGap).toBeLessThan(FROZEN_MS);
        const work = await page.workStats();
        console.log(`[hostile ${kind}] ${name}: our work ${work.busyMs.toFixed(0)} ms in ${work.slices} slices, longest ${work.longestMs.toFixed(1)} ms`);
        expect(work.longestMs).toBeLessThan(FROZEN_MS);
        expect(f.total).toBeGreaterThan(0);
        expect(Object.keys(f.byTopic).sort()).toEqual(['deepseek', 'distillation', 'export-controls']);
        switch (name) {
          case 'big-text':
            expect(shape.chars).toBeGreaterThanOrEqual(10_000_000);
            // One text node far over MAX_NODE_CHARS: every mention is counted, none painted
            // (painting inside such a node costs the browser a full re-walk per change).
            expect(f.capped).toBe(true);
            expect(f.total).toBeGreaterThan(MAX_PAINTED);
            expect(painted).toBe(0);
            break;
          case 'many-nodes':
            expect(shape.textNodes).toBeGreaterThanOrEqual(100_000);
            expect(f.capped).toBe(false);
            expect(painted).toBe(f.total);
            // Every one of the 200 topic rows is highlighted.
            expect(await page.blocksWithHighlights('p')).toBe(200);
            break;
          case 'deep-nesting': {
            expect(shape.depth).toBe(depth);
            expect(f.capped).toBe(false);
            expect(painted).toBe(f.total);
            const levels = new Set(f.findings.map((x) => /Level (\d+):/.exec(x.sentence)?.[1]).filter(Boolean));
            console.log(`[hostile ${kind}] deep-nesting: levels with findings: ${levels.size} (deepest ${Math.max(...[...levels].map(Number))})`);
            // Text the engine does not lay out (Firefox stops building boxes far down) is not visible, so not scanned.
            expect(levels.has('100')).toBe(true);
            expect(levels.size).toBeGreaterThanOrEqual(5);
            break;
          }
          case 'many-mentions':
            expect(f.total).toBeGreaterThanOrEqual(10_000);
            expect(f.capped).toBe(true);
            expect(f.findings.length).toBe(MAX_PAINTED);
            expect(painted).toBe(MAX_PAINTED);
            break;
        }
        expect(page.tab.errors).toEqual([]);
      },
      120_000,
    );
  });

  it('leaves textarea, input, contenteditable and opted-out text alone, and typing arrives exactly', async () => {
    const page = await load('/hostile/editors.html');
    await page.settled(3);
    const noneInside = async () => {
      expect(await page.rangesInside('#plain')).toBeGreaterThanOrEqual(3);
      for (const sel of ['#ta', '#in', '#ce', '#off']) expect(await page.rangesInside(sel), sel).toBe(0);
    };
    await noneInside();
    const typed = ' DeepSeek distilled OpenAI models; H800 export controls!';
    const tab = page.tab;

    const ta = await tab.evaluate(() => {
      const el = document.getElementById('ta') as HTMLTextAreaElement;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
      return el.value;
    });
    await tab.type(typed);
    expect(await tab.evaluate(() => (document.getElementById('ta') as HTMLTextAreaElement).value)).toBe(ta + typed);

    const input = await tab.evaluate(() => {
      const el = document.getElementById('in') as HTMLInputElement;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
      return el.value;
    });
    await tab.type(typed);
    expect(await tab.evaluate(() => (document.getElementById('in') as HTMLInputElement).value)).toBe(input + typed);

    const ce = await tab.evaluate(() => {
      const el = document.getElementById('ce')!;
      el.focus();
      const sel = getSelection()!;
      sel.selectAllChildren(el);
      sel.collapseToEnd();
      return el.textContent ?? '';
    });
    await tab.type(typed);
    // Editors may store a typed space as a no-break space; that is the browser's doing, so compare with spaces.
    const after = await tab.evaluate(() => document.getElementById('ce')!.textContent ?? '');
    expect(after.replace(/\u00a0/g, ' ')).toBe(ce + typed);

    // The edits produce mutations; after they are handled, still nothing inside the editors.
    await sleep(500);
    await noneInside();
    expect(tab.errors).toEqual([]);
  });

  it.each(['optout-meta', 'optout-attr'])('a page that opts out (%s) gets no highlights and reports nothing', async (name) => {
    // Same text on a page that does not opt out is highlighted (the control case).
    const control = await load('/hostile/editors.html');
    await control.settled(3);
    const page = await load(`/hostile/${name}.html`);
    await page.loadedAndQuiet(1500);
    expect(await page.tab.evaluate(() => document.getElementById('plain')!.textContent)).toContain('DeepSeek');
    expect(await page.tab.evaluate(() => CSS.highlights.size)).toBe(0);
    // The stylesheet put in at the start is taken out again once the page is read.
    expect(await page.tab.evaluate(() => document.adoptedStyleSheets.length)).toBe(0);
    // The content script either does not start at all, or only answers that the page opted out.
    const tabId = await browser.tabId(`/hostile/${name}.html`).catch(() => null);
    const reply =
      tabId === null
        ? 'no receiver'
        : await toTab<{ value?: { state?: string; total?: number } }>(browser.control, tabId, { type: 'getFindings' }).then(
            (r) => `answered ${r?.value?.state} with ${r?.value?.total} mentions`,
            (e: unknown) => `no receiver: ${String(e)}`,
          );
    expect(reply).toMatch(/^(no receiver|answered opted-out with 0 mentions$)/);
  });
});
