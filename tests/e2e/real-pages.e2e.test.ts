/**
 * Real saved news pages, each loaded twice per browser: once with the
 * extension and once in a browser without it. With the extension the page
 * must raise no extra errors, and its markup and layout must be exactly what
 * they are without it (highlights are painted, never inserted). A mention on
 * one page is hovered to check that the card adds nothing but its own host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, launch, startTestSite, type Session, type Tab } from './harness/browsers';
import { controlPage, findings, tabIdFor, type Findings } from './harness/ext';
import { cardState, elementBoxes, highlightedTexts, hoverOpen, loadedAndQuiet, markupWithoutHost, rangeCount, rangesInside, settled, waitUntil } from './harness/page';
import type { StaticServer } from '../../scripts/lib/serve';
import { corpusSuite } from '../../scripts/lib/corpus';

const RUN = corpusSuite('real pages (e2e)', 'real-pages');

const PAGES = [
  'ars-1.html', 'bbc-1.html', 'cnn.html', 'engadget.html', 'folha.html', 'guardian-1.html', 'lwn-1.html', 'medium-1.html',
  'nytimes-1.html', 'qq.html', 'rtl-1.html', 'telegraph.html', 'theverge.html', 'wapo-1.html', 'wikipedia.html', 'yahoo-2.html',
];

/**
 * Pages whose own text mentions a topic. Running the suite once and reading
 * the logged totals found none: the snapshots predate the DeepSeek story (the
 * few "Nvidia" mentions are not topic terms). So every test also injects the
 * same probe paragraph into both copies of the page and checks it is
 * highlighted, and the page still matches, with highlights painted.
 */
const WITH_MENTIONS = new Set<string>([]);

const PROBE = 'Counterpoint probe: DeepSeek trained R1 on H800 chips despite US export controls; OpenAI alleged distillation of its models.';

let site: StaticServer;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site?.close();
});

/** Null when equal, else where the two strings part, with some context. */
function whereTheyDiffer(withExt: string, without: string): string | null {
  if (withExt === without) return null;
  let i = 0;
  while (i < withExt.length && withExt[i] === without[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 120), i + 120));
  return `lengths ${withExt.length} / ${without.length}, first difference at ${i}:\n  with:    ${around(withExt)}\n  without: ${around(without)}`;
}

function firstBoxDifference(withExt: string[], without: string[]): string | null {
  const n = Math.max(withExt.length, without.length);
  for (let i = 0; i < n; i++) {
    if (withExt[i] !== without[i]) return `${withExt.length} / ${without.length} elements; element #${i}: with "${withExt[i]}", without "${without[i]}"`;
  }
  return null;
}

/**
 * Navigates, tolerating one Firefox quirk: when a page's iframe points at a
 * host the proxy refuses, WebDriver BiDi may fail the whole navigation with
 * "Address rejected" although the page itself loads. Then wait for the page.
 */
async function visit(tab: Tab, url: string): Promise<void> {
  try {
    await tab.goto(url);
  } catch (error) {
    if (!/Address rejected/.test(String(error))) throw error;
    await waitUntil(
      () => tab.evaluate((u) => location.href === u && document.readyState === 'complete', url).catch(() => false),
      `${url} to load after "Address rejected"`,
      30_000,
    );
  }
}

/** Inserts the probe paragraph after the first visible paragraph of real text (the same one in both copies). */
function injectProbe(tab: Tab): Promise<boolean> {
  return tab.evaluate((probe) => {
    const anchor = [...document.querySelectorAll('p')].find(
      (p) => (p.textContent ?? '').trim().length > 80 && p.checkVisibility() && !p.closest('[contenteditable], [hidden], [aria-hidden="true"]'),
    );
    if (!anchor) return false;
    const p = document.createElement('p');
    p.id = 'counterpoint-probe';
    p.textContent = probe;
    anchor.after(p);
    return true;
  }, PROBE);
}

describe.skipIf(!RUN).each(KINDS)('%s', (kind) => {
  let withExt: Session;
  let without: Session;
  let extTab: Tab;
  let plainTab: Tab;
  let control: Tab;
  let extTabId: number;
  const totals: Record<string, number> = {};

  beforeAll(async () => {
    [withExt, without] = await Promise.all([launch(kind, site), launch(kind, site, { extension: false })]);
    [extTab, plainTab] = await Promise.all([withExt.open('/blank.html'), without.open('/blank.html')]);
    control = await controlPage(withExt);
    extTabId = await waitUntil(() => tabIdFor(control, `${site.origin}/blank.html`).catch(() => null), 'the content script on blank.html');
    await extTab.front();
  }, 90_000);
  afterAll(async () => {
    console.log(`[real-pages ${kind}] findings per page: ${JSON.stringify(totals)}`);
    await Promise.all([withExt?.close(), without?.close()]);
  });

  /** Loads `name` in both browsers; resolves once the extension has finished its pass and both pages are quiet. */
  async function loadBoth(name: string): Promise<Findings> {
    const path = `/real/${name}`;
    const url = `${site.origin}${path}`;
    await Promise.all([visit(extTab, url), visit(plainTab, url)]);
    await extTab.front();
    const f = await waitUntil(async () => {
      const value = (await findings(control, extTabId).catch(() => null)) as (Findings & { url?: string }) | null;
      return value && value.url === url && value.state === 'done' ? value : null;
    }, `the extension to finish scanning ${name}`, 30_000);
    await Promise.all([loadedAndQuiet(extTab, 500), loadedAndQuiet(plainTab, 500)]);
    return f;
  }

  it.each(PAGES)('%s: no extra page errors, identical DOM and layout, before and after a mention is painted', async (name) => {
    const extErrorsBefore = extTab.errors.length;
    const plainErrorsBefore = plainTab.errors.length;
    const f = await loadBoth(name);
    totals[name] = f.total;

    // Normalized: the order of the page's own injected foreign <script> tags
    // depends on when the proxy refuses each load (nytimes-1 differed run to
    // run in one browser alone). Everything else is compared as serialized.
    const [markupWith, markupWithout] = await Promise.all([markupWithoutHost(extTab, true), markupWithoutHost(plainTab, true)]);
    expect(markupWith.length).toBeGreaterThan(1000);
    expect(whereTheyDiffer(markupWith, markupWithout)).toBeNull();

    const [boxesWith, boxesWithout] = await Promise.all([elementBoxes(extTab), elementBoxes(plainTab)]);
    expect(boxesWith.length).toBeGreaterThan(10);
    expect(firstBoxDifference(boxesWith, boxesWithout)).toBeNull();

    // Errors count against us only if the page does not raise them on its own.
    const plainErrors = plainTab.errors.slice(plainErrorsBefore);
    const ours = extTab.errors.slice(extErrorsBefore).filter((e) => !plainErrors.includes(e));
    expect(ours).toEqual([]);

    if (WITH_MENTIONS.has(name)) {
      expect(f.total).toBeGreaterThan(0);
      expect((await highlightedTexts(extTab)).length).toBeGreaterThan(0);
    }

    // The same probe paragraph in both copies: it gets highlighted, and nothing else changes.
    const [injectedWith, injectedWithout] = await Promise.all([injectProbe(extTab), injectProbe(plainTab)]);
    expect(injectedWith).toBe(true);
    expect(injectedWithout).toBe(true);
    await settled(extTab, 3);
    expect(await rangesInside(extTab, '#counterpoint-probe')).toBeGreaterThanOrEqual(3);
    expect(await rangeCount(extTab)).toBe((await findings(control, extTabId)).total);
    await loadedAndQuiet(plainTab, 0);
    expect(whereTheyDiffer(await markupWithoutHost(extTab, true), await markupWithoutHost(plainTab, true))).toBeNull();
    expect(firstBoxDifference(await elementBoxes(extTab), await elementBoxes(plainTab))).toBeNull();
    const oursAfter = extTab.errors.slice(extErrorsBefore).filter((e) => !plainTab.errors.slice(plainErrorsBefore).includes(e));
    expect(oursAfter).toEqual([]);
  });

  it('hovering a mention on a real page opens the card and adds nothing to the page but the card host', async () => {
    const name = 'wikipedia.html';
    await loadBoth(name);
    await Promise.all([injectProbe(extTab), injectProbe(plainTab)]);
    await settled(extTab, 3);
    const errorsBefore = extTab.errors.length;
    const card = await hoverOpen(extTab, 'DeepSeek', 'Counterpoint probe');
    expect(card.cardId).toBeTruthy();
    expect(card.text.length).toBeGreaterThan(40);
    // The host is there (so leaving it out of the comparison matters), and it is the only addition.
    expect(await extTab.evaluate(() => document.querySelectorAll('counterpoint-popover').length)).toBe(1);
    expect(whereTheyDiffer(await markupWithoutHost(extTab, true), await markupWithoutHost(plainTab, true))).toBeNull();
    expect(extTab.errors.slice(errorsBefore)).toEqual([]);
    await extTab.press('Escape');
    await waitUntil(async () => !(await cardState(extTab)).open, 'the card to close');
  });
});
