/**
 * Pages that work against the extension, in both browsers: a page that wipes
 * the highlight registry, one that deletes the card, one that unsets every
 * style, a modal dialog, a DOM that changes every 10 ms, pages of extreme size
 * and shape, and editors and opt-outs that must be left alone. The pages live
 * in tests/fixtures/hostile/; monitor.js there records frame gaps (and long
 * tasks where the engine reports them) for the responsiveness checks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, launch, startTestSite, type Session, type Tab } from './harness/browsers';
import { controlPage, findings, tabIdFor, toTab, workStats, type Findings } from './harness/ext';
import { cardState, highlightedTexts, hoverOpen, loadedAndQuiet, rangeCount, rangesInside, settled, sleep, waitUntil } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';

/** The painting cap, read from the source so the test follows it. */
const scannerSource = readFileSync(join(import.meta.dirname, '../../entrypoints/content/scanner.ts'), 'utf8');
const MAX_PAINTED = Number(/export const MAX_PAINTED = (\d+)/.exec(scannerSource)?.[1]);
/**
 * What is asserted about time: only that the page never froze, a bound of a
 * second that no amount of machine load explains away (this suite caught
 * 400–600 ms tasks before they were fixed). Our longest task and the frame
 * gaps are logged here and measured properly by `npm run bench`, where the
 * 50 ms long-task target lives: a gate on a figure that a busy machine moves
 * by 10 % would turn a slow second into a red build.
 */
const FROZEN_MS = 1000;

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
  __storm: { added: number; removed: number; running: boolean; ticks: number; start(ms: number): void };
  __chars: number;
  __textNodes: number;
  __depth: number;
};

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

describe.each(KINDS)('%s', (kind) => {
  let session: Session;
  let tab: Tab;
  let control: Tab;
  let tabId: number;

  beforeAll(async () => {
    session = await launch(kind, site);
    tab = await session.open('/blank.html');
    control = await controlPage(session);
    tabId = await waitUntil(() => tabIdFor(control, `${site.origin}/blank.html`).catch(() => null), 'the content script on blank.html');
    await tab.front();
  }, 90_000);
  afterAll(async () => {
    await session?.close();
  });

  async function load(path: string): Promise<void> {
    await tab.goto(path);
    await tab.front();
  }

  /** Waits until the content script on `path` has finished its full pass, and returns its findings. */
  function scanned(path: string, timeoutMs = 30_000): Promise<Findings> {
    const url = `${site.origin}${path}`;
    return waitUntil(async () => {
      const f = (await findings(control, tabId).catch(() => null)) as (Findings & { url?: string }) | null;
      return f && f.url === url && f.state === 'done' ? f : null;
    }, `the scan of ${path}`, timeoutMs);
  }

  it('highlights wiped by the page come back without a DOM change and at its next DOM change, and hovering works while they are gone', async () => {
    await load('/hostile/clear-highlights.html');
    const first = await waitUntil(
      () => tab.evaluate(() => (globalThis as unknown as PageGlobals).__beforeClear.find((r) => r.ranges > 0)),
      'highlights to be registered before a wipe',
    );
    expect(first.names.length).toBeGreaterThan(0);
    const painted = first.ranges;

    // Wiped, with no DOM change: the once-a-second repair puts them back between wipes.
    await waitUntil(async () => (await rangeCount(tab)) === 0, 'the page to wipe the highlights');
    const wipedAt = await tab.evaluate(() => performance.now());
    await sleep(2200);
    const idleRecords = await tab.evaluate((t) => (globalThis as unknown as PageGlobals).__beforeClear.filter((r) => r.at > t), wipedAt);
    console.log(`[hostile ${kind}] wiped highlights with no DOM change: ranges seen before the next wipes = ${JSON.stringify(idleRecords.map((r) => r.ranges))}`);
    expect(idleRecords.some((r) => r.ranges > 0)).toBe(true);

    // A DOM change makes the scanner report, and the painter re-registers everything.
    const changedAt = await tab.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Later, DeepSeek said the H800 cluster was enough.';
      document.getElementById('more')!.append(p);
      return performance.now();
    });
    const back = await waitUntil(
      () => tab.evaluate((t) => (globalThis as unknown as PageGlobals).__beforeClear.find((r) => r.at > t && r.ranges > 0), changedAt),
      'highlights to be re-registered after a DOM change',
    );
    expect(back.names.sort()).toEqual(first.names.sort());
    expect(back.ranges).toBeGreaterThan(painted);

    // Hit-testing does not depend on the registry: with it wiped, a hover still opens the card.
    await waitUntil(async () => (await rangeCount(tab)) === 0, 'the page to wipe the highlights again');
    const card = await hoverOpen(tab, 'DeepSeek', 'few H800');
    expect(card.cardId).toBeTruthy();
    await tab.press('Escape');
    await waitUntil(async () => !(await cardState(tab)).open, 'the card to close');
    expect(tab.errors).toEqual([]);
  });

  it('a card whose host the page removed opens again on the next hover', async () => {
    await load('/hostile/remove-popover.html');
    await settled(tab, 3);
    const first = await hoverOpen(tab, 'DeepSeek', 'alleged distillation');
    await waitUntil(
      () => tab.evaluate(() => (globalThis as unknown as PageGlobals).__removed >= 1 && !document.querySelector('counterpoint-popover')),
      'the page to remove the card host',
    );
    // Leave the mention past the close grace period, then come back.
    await tab.move(2, 2);
    await sleep(700);
    const again = await hoverOpen(tab, 'DeepSeek', 'alleged distillation');
    expect(again.open).toBe(true);
    expect(again.cardId).toBe(first.cardId);
    expect(again.rect && again.rect.right - again.rect.left).toBeGreaterThan(100);
    await waitUntil(
      () => tab.evaluate(() => (globalThis as unknown as PageGlobals).__removed >= 2 && !document.querySelector('counterpoint-popover')),
      'the page to remove the card host a second time',
    );
    // Straight to another mention, without a pause.
    const other = await hoverOpen(tab, 'DeepSeek', 'Washington').catch(async (error: unknown) => {
      const state = await tab.evaluate(() => ({ hosts: document.querySelectorAll('counterpoint-popover').length, removed: (globalThis as unknown as PageGlobals).__removed }));
      throw new Error(`${String(error)}; page state: ${JSON.stringify(state)}, card: ${JSON.stringify(await cardState(tab))}`);
    });
    expect(other.open).toBe(true);
    expect(await tab.evaluate(() => document.querySelectorAll('counterpoint-popover').length)).toBe(1);
    await tab.press('Escape');
    expect(tab.errors).toEqual([]);
  });

  it('`* { all: unset !important }` neither hides the highlights nor breaks the card', async () => {
    await load('/hostile/all-unset.html');
    const texts = await settled(tab, 3);
    expect(texts).toContain('DeepSeek');
    const card = await hoverOpen(tab, 'DeepSeek', 'alleged distillation');
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
    const display = await tab.evaluate(() => {
      const c = document.querySelector('counterpoint-popover')!.shadowRoot!.querySelector('.cp-card')!;
      return getComputedStyle(c).display;
    });
    expect(display).not.toBe('inline');
    await tab.press('Escape');
  });

  it("hovering a mention inside the page's open modal <dialog> shows the card on top", async () => {
    await load('/hostile/modal-dialog.html');
    await settled(tab, 3);
    expect(await rangesInside(tab, '#wall')).toBeGreaterThanOrEqual(3);
    const card = await hoverOpen(tab, 'DeepSeek', 'alleged distillation');
    const r = card.rect!;
    const hit = await tab.evaluate(
      ({ x, y }) => {
        const el = document.elementFromPoint(x, y);
        const host = document.querySelector('counterpoint-popover');
        return { onCard: !!el && !!host && (el === host || host.contains(el)), tag: el?.tagName ?? null, dialogOpen: (document.getElementById('wall') as HTMLDialogElement).open };
      },
      { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 },
    );
    expect(hit).toEqual({ onCard: true, tag: 'COUNTERPOINT-POPOVER', dialogOpen: true });
    await tab.press('Escape');
    await waitUntil(async () => !(await cardState(tab)).open, 'the card to close');
  });

  it('keeps up with a DOM that changes every 10 ms for 10 s, with bounded cost', async () => {
    await load('/hostile/mutation-storm.html');
    await settled(tab, 3);
    const started = Date.now();
    await tab.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.__mon.start();
      g.__storm.start(10_000);
    });
    // At three moments, a paragraph added after that moment must get highlighted soon.
    const lags: number[] = [];
    for (const at of [1500, 4500, 7500]) {
      await sleep(Math.max(0, started + at - Date.now()));
      const n = await tab.evaluate(() => (globalThis as unknown as PageGlobals).__storm.added);
      const t0 = Date.now();
      await waitUntil(
        () =>
          tab.evaluate((n) => {
            for (const [name, h] of CSS.highlights) {
              if (!name.startsWith('counterpoint-')) continue;
              for (const r of h as Highlight) {
                const p = r.startContainer.parentElement?.closest('#feed p') as HTMLElement | null | undefined;
                if (p && Number(p.dataset.n) > n) return true;
              }
            }
            return false;
          }, n),
        `a paragraph added after #${n} to be highlighted`,
        15_000,
      );
      lags.push(Date.now() - t0);
    }
    await waitUntil(() => tab.evaluate(() => !(globalThis as unknown as PageGlobals).__storm.running), 'the storm to end', 15_000);
    const mon = await tab.evaluate(() => (globalThis as unknown as PageGlobals).__mon.stop());
    const storm = await tab.evaluate(() => {
      const s = (globalThis as unknown as PageGlobals).__storm;
      return { added: s.added, removed: s.removed };
    });
    await sleep(500);
    const end = await tab.evaluate(() => {
      const paras = document.querySelectorAll('#feed p');
      const covered = new Set<Element>();
      let detached = 0;
      for (const [name, h] of CSS.highlights) {
        if (!name.startsWith('counterpoint-')) continue;
        for (const r of h as Highlight) {
          if (!r.startContainer.isConnected) detached++;
          const p = r.startContainer.parentElement?.closest('#feed p');
          if (p) covered.add(p);
        }
      }
      return { paragraphs: paras.length, highlighted: covered.size, detached };
    });
    const f = await findings(control, tabId);
    console.log(
      `[hostile ${kind}] mutation storm: ${storm.added} added / ${storm.removed} removed in ${mon.ms} ms; detection lag ${lags.join(', ')} ms (incl. polling); ` +
        `frames ${mon.frames}, max frame gap ${mon.maxGap} ms, gaps > 50 ms: [${mon.slowFrames.join(', ')}]; ` +
        (mon.longTaskSupported ? `long tasks: ${mon.longTasks.length} [${mon.longTasks.join(', ')}] ms` : 'long tasks: not reported by this engine'),
    );
    expect(storm.added).toBeGreaterThan(300);
    expect(end).toEqual({ paragraphs: 40, highlighted: 40, detached: 0 });
    expect(f.total).toBe(await rangeCount(tab));
    // At least a frame a second: the page kept rendering.
    expect(mon.frames).toBeGreaterThan(10);
    expect(mon.maxGap).toBeLessThan(FROZEN_MS);
    const work = await workStats(tab);
    console.log(`[hostile ${kind}] mutation storm: our work ${work.busyMs.toFixed(0)} ms in ${work.slices} slices, longest ${work.longestMs.toFixed(1)} ms`);
    expect(work.longestMs).toBeLessThan(FROZEN_MS);
    expect(tab.errors).toEqual([]);
  }, 60_000);

  describe('extreme pages stay responsive and are reported', () => {
    // Chromium's renderer crashes on its own (no extension loaded) somewhere
    // between 2,000 and 3,000 nested divs, so it gets 2,000; Firefox gets 5,000.
    const depth = kind === 'chromium' ? 2000 : 5000;
    it.each([
      { page: 'big-text', what: 'one 10 MB text node' },
      { page: 'many-nodes', what: '100,000 text nodes' },
      { page: 'deep-nesting', what: `${depth} levels of nesting` },
      { page: 'many-mentions', what: 'over 10,000 mentions' },
    ])('$what', async ({ page: name }) => {
      const path = name === 'deep-nesting' ? `/hostile/${name}.html?depth=${depth}` : `/hostile/${name}.html`;
      const loadStart = Date.now();
      await load(path);
      const loadedMs = Date.now() - loadStart;
      const f = await scanned(path, 60_000);
      const scannedMs = Date.now() - loadStart;
      await sleep(1000);
      const mon = await tab.evaluate(() => (globalThis as unknown as PageGlobals).__mon.stop());
      const painted = await rangeCount(tab);
      const shape = await tab.evaluate(() => {
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
      const work = await workStats(tab);
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
        case 'many-nodes': {
          expect(shape.textNodes).toBeGreaterThanOrEqual(100_000);
          expect(f.capped).toBe(false);
          expect(painted).toBe(f.total);
          // Every one of the 200 topic rows is highlighted.
          const rows = await tab.evaluate(() => {
            const seen = new Set<Element>();
            for (const [name, h] of CSS.highlights) {
              if (!name.startsWith('counterpoint-')) continue;
              for (const r of h as Highlight) {
                const p = r.startContainer.parentElement?.closest('p');
                if (p) seen.add(p);
              }
            }
            return seen.size;
          });
          expect(rows).toBe(200);
          break;
        }
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
      expect(tab.errors).toEqual([]);
    }, 120_000);
  });

  it('leaves textarea, input, contenteditable and opted-out text alone, and typing arrives exactly', async () => {
    await load('/hostile/editors.html');
    await settled(tab, 3);
    const noneInside = async () => {
      expect(await rangesInside(tab, '#plain')).toBeGreaterThanOrEqual(3);
      for (const sel of ['#ta', '#in', '#ce', '#off']) expect(await rangesInside(tab, sel), sel).toBe(0);
    };
    await noneInside();
    const typed = ' DeepSeek distilled OpenAI models; H800 export controls!';

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
    // Same text on a page that does not opt out is highlighted within the wait below.
    await load('/hostile/editors.html');
    await settled(tab, 3);
    await load(`/hostile/${name}.html`);
    await loadedAndQuiet(tab, 1500);
    expect(await tab.evaluate(() => document.getElementById('plain')!.textContent)).toContain('DeepSeek');
    expect(await highlightedTexts(tab)).toEqual([]);
    // The content script either does not start at all, or only answers that the page opted out.
    const reply = await toTab<{ value?: { state?: string; total?: number } }>(control, tabId, { type: 'getFindings' }).then(
      (r) => `answered ${r?.value?.state} with ${r?.value?.total} mentions`,
      (e: unknown) => `no receiver: ${String(e)}`,
    );
    expect(reply).toMatch(/^(no receiver|answered opted-out with 0 mentions$)/);
  });
});
