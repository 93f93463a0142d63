/**
 * Real saved news pages, each loaded twice per browser: once with the
 * extension and once in a browser without it. With the extension the page
 * must raise no extra errors, and its markup and layout must be exactly what
 * they are without it (highlights are painted, never inserted). A mention on
 * one page is hovered to check that the card adds nothing but its own host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import type { Tab } from './harness/browsers';
import { findings } from './harness/ext';
import { until } from './harness/until';
import { ReaderPage } from './pages/reader';
import type { PageFindings } from '../../lib/protocol';
import { corpusSuite } from '../../scripts/lib/corpus';

const RUN = corpusSuite('real pages (e2e)', 'real-pages');

const PAGES = [
  'ars-1.html',
  'bbc-1.html',
  'cnn.html',
  'engadget.html',
  'folha.html',
  'guardian-1.html',
  'lwn-1.html',
  'medium-1.html',
  'nytimes-1.html',
  'qq.html',
  'rtl-1.html',
  'telegraph.html',
  'theverge.html',
  'wapo-1.html',
  'wikipedia.html',
  'yahoo-2.html',
];

/**
 * The snapshots predate the DeepSeek story and hardly mention the topics, so
 * every test also injects the same probe paragraph into both copies of the
 * page and checks it is highlighted, and the page still matches, with
 * highlights painted.
 */
const PROBE = 'Counterpoint probe: DeepSeek trained R1 on H800 chips despite US export controls; OpenAI alleged distillation of its models.';

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
    await until(
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
  const withExt = useBrowser(kind);
  const without = useBrowser(kind, { extension: false });
  let ext: ReaderPage;
  let plain: ReaderPage;
  let extTabId: number;
  const totals: Record<string, number> = {};

  beforeAll(async () => {
    [ext, plain] = await Promise.all([withExt.session.open('/blank.html'), without.session.open('/blank.html')]).then(([a, b]) => [
      new ReaderPage(a),
      new ReaderPage(b),
    ]);
    extTabId = await withExt.tabId('/blank.html');
    await ext.tab.front();
  }, 90_000);
  afterAll(() => {
    console.log(`[real-pages ${kind}] findings per page before the probe: ${JSON.stringify(totals)}`);
  });

  /** Loads `name` in both browsers; resolves once the extension has finished its pass and both pages are quiet. */
  async function loadBoth(name: string): Promise<PageFindings> {
    const url = withExt.origin + `/real/${name}`;
    await Promise.all([visit(ext.tab, url), visit(plain.tab, url)]);
    await ext.tab.front();
    const f = await until(
      async () => {
        const value = await findings(withExt.control, extTabId).catch(() => null);
        return value && value.url === url && value.state === 'done' ? value : null;
      },
      `the extension to finish scanning ${name}`,
      30_000,
    );
    await Promise.all([ext.loadedAndQuiet(500), plain.loadedAndQuiet(500)]);
    return f;
  }

  it.each(PAGES)('%s: no extra page errors, identical DOM and layout, before and after a mention is painted', async (name) => {
    const extErrorsBefore = ext.tab.errors.length;
    const plainErrorsBefore = plain.tab.errors.length;
    const f = await loadBoth(name);
    totals[name] = f.total;
    // Whatever the page itself mentions is counted and painted alike.
    expect(await ext.rangeCount()).toBe(f.total);

    // Normalized: the order of the page's own injected foreign <script> tags
    // depends on when the proxy refuses each load (nytimes-1 differed run to
    // run in one browser alone). Everything else is compared as serialized.
    const [markupWith, markupWithout] = await Promise.all([ext.markup(true), plain.markup(true)]);
    expect(markupWith.length).toBeGreaterThan(1000);
    expect(whereTheyDiffer(markupWith, markupWithout)).toBeNull();

    const [boxesWith, boxesWithout] = await Promise.all([ext.boxes(), plain.boxes()]);
    expect(boxesWith.length).toBeGreaterThan(10);
    expect(firstBoxDifference(boxesWith, boxesWithout)).toBeNull();

    // Errors count against us only if the page does not raise them on its own.
    const plainErrors = plain.tab.errors.slice(plainErrorsBefore);
    const ours = ext.tab.errors.slice(extErrorsBefore).filter((e) => !plainErrors.includes(e));
    expect(ours).toEqual([]);

    // The same probe paragraph in both copies: it gets highlighted, and nothing else changes.
    const [injectedWith, injectedWithout] = await Promise.all([injectProbe(ext.tab), injectProbe(plain.tab)]);
    expect(injectedWith).toBe(true);
    expect(injectedWithout).toBe(true);
    await ext.settled(3);
    expect(await ext.rangesInside('#counterpoint-probe')).toBeGreaterThanOrEqual(3);
    expect(await ext.rangeCount()).toBe((await findings(withExt.control, extTabId)).total);
    await plain.loadedAndQuiet(0);
    expect(whereTheyDiffer(await ext.markup(true), await plain.markup(true))).toBeNull();
    expect(firstBoxDifference(await ext.boxes(), await plain.boxes())).toBeNull();
    const oursAfter = ext.tab.errors.slice(extErrorsBefore).filter((e) => !plain.tab.errors.slice(plainErrorsBefore).includes(e));
    expect(oursAfter).toEqual([]);
  });

  it('hovering a mention on a real page opens the card and adds nothing to the page but the card host', async () => {
    await loadBoth('wikipedia.html');
    await Promise.all([injectProbe(ext.tab), injectProbe(plain.tab)]);
    await ext.settled(3);
    const errorsBefore = ext.tab.errors.length;
    const card = await ext.hover('DeepSeek', 'Counterpoint probe');
    expect(card.cardId).toBeTruthy();
    expect(card.text.length).toBeGreaterThan(40);
    // The host is there (so leaving it out of the comparison matters), and it is the only addition.
    expect(await ext.hostCount()).toBe(1);
    expect(whereTheyDiffer(await ext.markup(true), await plain.markup(true))).toBeNull();
    expect(ext.tab.errors.slice(errorsBefore)).toEqual([]);
    await ext.closeCard();
  });
});
