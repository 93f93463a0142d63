/**
 * Precision and recall on a labeled fixture set, in both browsers.
 *
 * Every .html page of the set is loaded (tests/fixtures/labeled, served under
 * /labeled/, or the directory named by COUNTERPOINT_LABELED_DIR, served under
 * /labeled-external/). In each page, every block carries:
 *   data-expect  the mentions it must yield, "topic:text" in reading order,
 *                ";"-separated ("" = none); text as highlighted on the page;
 *   data-kind    its genre (on the block or an ancestor, across shadow hosts);
 *   data-traps   optionally, the look-alikes it holds ("text;text"), which
 *                must not be highlighted (only counted and reported here).
 * Blocks are collected from the document and from open shadow roots. Pages
 * that add content late set window.__labeledReady to true when done (and may
 * set it false at the start); the scorer waits for true on any page whose
 * source names it, then for our highlights and the content script's work to
 * stop changing.
 *
 * The labels follow the labeling policy, not the matcher: this test reports
 * every miss and every wrong highlight and fails below the thresholds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import { until } from './harness/until';
import { ReaderPage } from './pages/reader';

const external = process.env.COUNTERPOINT_LABELED_DIR;
const DIR = external ? resolve(external) : resolve(import.meta.dirname, '../fixtures/labeled');
const BASE = external ? '/labeled-external/' : '/labeled/';
const PAGES = readdirSync(DIR)
  .filter((f) => f.endsWith('.html'))
  .sort();

const TOPICS = ['deepseek', 'distillation', 'export-controls'];
const GENRES = [
  'news',
  'analysis',
  'forum',
  'docs',
  'list',
  'table',
  'heading',
  'zh',
  'zh-hant',
  'ja',
  'feed',
  'live',
  'transcript',
  'markets',
  'shadow',
  'hidden',
  'lookalike',
];
const MIN_PRECISION = 0.99;
/**
 * Related entities the dataset annotates on purpose (docs/dataset.md,
 * "Related entities"). A corpus labeled by another policy may not expect
 * them, so precision is also reported with them not scored.
 */
const RELATED =
  /^export-controls:(H800|A800|H20|H200|MI308|RTX Pro 6000D|B30A|BIS|Bureau of Industry and Security|Export Administration Regulations|EAR|Entity List|FDPR)$|^deepseek:(High-Flyer|幻方量化)$/i;
const MIN_RECALL = 0.98;
/**
 * Pages loaded side by side, each in its own tab. Sixteen pages one after
 * another took 46–52 s per browser, four at a time 20–22 s, with the same
 * scores.
 */
const PAGES_AT_ONCE = 4;

interface Block {
  page: string;
  kind: string;
  label: string;
  expected: string[];
  found: string[];
  traps: string[];
  errors: string[];
}

/**
 * Runs in the page: the labeled blocks (document and open shadow roots) with
 * the highlights each holds, plus highlights outside any labeled block.
 * Self-contained (no outer names).
 */
function collect({ names, topics, genres }: { names: Record<string, string>; topics: string[]; genres: string[] }): Omit<Block, 'page'>[] {
  const clean = (s: string) =>
    s
      .replace(/[\u00AD\u200B]/g, '')
      .replace(/\u00A0/g, ' ')
      .replace(/\u2011/g, '-');
  /** The element a node belongs to, or its shadow host for a node at the top of a shadow tree. */
  const elementOf = (node: Node): Element | null => {
    if (node instanceof Element) return node;
    if (node.parentElement) return node.parentElement;
    const root = node.getRootNode();
    return root instanceof ShadowRoot ? root.host : null;
  };
  /** closest() that carries on from a shadow root to its host. */
  const closestAcross = (node: Node, selector: string): Element | null => {
    for (let el = elementOf(node); el;) {
      const hit = el.closest(selector);
      if (hit) return hit;
      const root = el.getRootNode();
      el = root instanceof ShadowRoot ? root.host : null;
    }
    return null;
  };
  const roots: (Document | ShadowRoot)[] = [document];
  const elements: Element[] = [];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i]!.querySelectorAll('*')) {
      if (el.shadowRoot) roots.push(el.shadowRoot);
      if (el.hasAttribute('data-expect')) elements.push(el);
    }
  }
  const split = (value: string | null) => (value ? value.split(';') : []);
  const blocks = new Map<Element, Omit<Block, 'page'>>();
  for (const el of elements) {
    // The block's own text: its text nodes (and field values) not inside a nested labeled block.
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
      if (closestAcross(n, '[data-expect]') !== el) continue;
      if (n instanceof Text) text += n.data;
      else if (n instanceof HTMLInputElement) text += ` ${n.value} `;
    }
    text = clean(text);
    const label = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const kind = closestAcross(el, '[data-kind]')?.getAttribute('data-kind') ?? '(none)';
    const expected = split(el.getAttribute('data-expect'));
    const traps = split(el.getAttribute('data-traps'));
    const errors: string[] = [];
    if (!genres.includes(kind)) errors.push(`unknown kind "${kind}"`);
    let at = 0;
    for (const entry of expected) {
      const colon = entry.indexOf(':');
      const topic = entry.slice(0, colon);
      const mention = entry.slice(colon + 1);
      if (colon < 0 || !topics.includes(topic) || !mention) {
        errors.push(`malformed label "${entry}"`);
        continue;
      }
      const i = text.indexOf(mention, at);
      if (i < 0) errors.push(`label "${entry}" is not in the text (in order)`);
      else at = i + mention.length;
    }
    at = 0;
    for (const trap of traps) {
      const i = text.indexOf(trap, at);
      if (i < 0) errors.push(`trap "${trap}" is not in the text (in order)`);
      else at = i + trap.length;
    }
    blocks.set(el, { kind, label, expected, found: [], traps, errors });
  }
  const stray: string[] = [];
  for (const [topic, name] of Object.entries(names)) {
    for (const r of CSS.highlights.get(name) ?? []) {
      const live = document.createRange();
      live.setStart(r.startContainer, r.startOffset);
      live.setEnd(r.endContainer, r.endOffset);
      const entry = `${topic}:${clean(live.toString())}`;
      const el = closestAcross(r.startContainer, '[data-expect]');
      const block = el && blocks.get(el);
      if (block) block.found.push(entry);
      else stray.push(entry);
    }
  }
  const list = [...blocks.values()];
  if (stray.length) list.push({ kind: '(unlabeled)', label: '(outside any labeled block)', expected: [], found: stray, traps: [], errors: [] });
  return list;
}

/**
 * Waits for the page's own late content (window.__labeledReady), then until
 * our highlights and the content script's work have not changed for a
 * second (four, if the content script has not run a single slice yet).
 */
async function settle(page: ReaderPage, late: boolean): Promise<void> {
  await until(
    () =>
      page.tab.evaluate((late) => {
        const ready = (window as unknown as { __labeledReady?: boolean }).__labeledReady;
        return document.readyState === 'complete' && (late ? ready === true : ready !== false);
      }, late),
    'the page to add its late content',
    30_000,
  );
  let previous = '';
  let stable = 0;
  await until(
    async () => {
      const stats = await page.workStats().catch(() => null);
      if (!stats) return false;
      const key = JSON.stringify([stats.slices, await page.highlights()]);
      stable = key === previous ? stable + 1 : 0;
      previous = key;
      return stable >= (stats.slices > 0 ? 10 : 40);
    },
    'our highlights to stop changing',
    30_000,
  );
}

interface Tally {
  expected: number;
  tp: number;
  fn: number;
  fp: number;
  blocks: number;
  traps: number;
  sprung: number;
}

/** Distinct strings with how often each occurs, in first-seen order. */
const count = (list: string[]) => [...list.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>())];

const tally = (): Tally => ({ expected: 0, tp: 0, fn: 0, fp: 0, blocks: 0, traps: 0, sprung: 0 });
/** The tally for `key`, made on first use. */
const at = (m: Map<string, Tally>, key: string): Tally => m.get(key) ?? m.set(key, tally()).get(key)!;
const ratio = (n: number, d: number) => (d ? (n / d).toFixed(3) : '  —  ');

/** A text table; traps have no topic, so the topic table leaves them out. */
function table(title: string, rows: [string, Tally][], traps = true): string {
  const head = ['', 'blocks', 'expected', 'found', 'missed', 'wrong', 'precision', 'recall', 'traps', 'sprung'].slice(0, traps ? 10 : 8);
  const lines = rows.map(([name, t]) =>
    [
      name,
      String(t.blocks),
      String(t.expected),
      String(t.tp),
      String(t.fn),
      String(t.fp),
      ratio(t.tp, t.tp + t.fp),
      ratio(t.tp, t.tp + t.fn),
      String(t.traps),
      String(t.sprung),
    ].slice(0, head.length),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [title, fmt(head), ...lines.map(fmt)].join('\n');
}

describe.each(KINDS)('%s', (kind) => {
  const browser = useBrowser(kind);

  it(`finds the labeled mentions with precision ≥ ${MIN_PRECISION} and recall ≥ ${MIN_RECALL}`, async () => {
    expect(PAGES.length, `no .html pages in ${DIR}`).toBeGreaterThan(0);
    const blocks: Block[] = [];
    const pageErrors: string[] = [];
    // A few pages at a time: each mostly waits for its page to settle.
    const queue = [...PAGES];
    await Promise.all(
      Array.from({ length: PAGES_AT_ONCE }, async () => {
        for (let file = queue.shift(); file; file = queue.shift()) {
          const page = new ReaderPage(await browser.session.open(BASE + file));
          try {
            await settle(page, readFileSync(resolve(DIR, file), 'utf8').includes('__labeledReady'));
            const names = await page.names();
            const found = await page.tab.evaluate(collect, { names, topics: TOPICS, genres: GENRES });
            blocks.push(...found.map((b) => ({ ...b, page: file })));
            for (const [error, n] of count(page.tab.errors)) pageErrors.push(`${file}: ${error}${n > 1 ? ` (×${n})` : ''}`);
          } finally {
            await page.tab.close();
          }
        }
      }),
    );
    // Reported in the set's order, whichever page settled first.
    const order = (page: string) => PAGES.indexOf(page);
    blocks.sort((a, b) => order(a.page) - order(b.page));
    pageErrors.sort();

    const all = tally();
    const byTopic = new Map<string, Tally>(TOPICS.map((t) => [t, tally()]));
    const byKind = new Map<string, Tally>(GENRES.map((g) => [g, tally()]));
    const byPage = new Map<string, Tally>(PAGES.map((p) => [p, tally()]));
    const misses: string[] = [];
    const wrongs: string[] = [];
    const labelErrors: string[] = [];
    const topicOf = (entry: string) => entry.slice(0, entry.indexOf(':'));
    for (const b of blocks) {
      const scopes = [all, at(byPage, b.page), at(byKind, b.kind)];
      const where = `${b.page} [${b.kind}] "${b.label}"`;
      labelErrors.push(...b.errors.map((e) => `${where}: ${e}`));
      const left = [...b.found];
      for (const e of b.expected) {
        const topic = at(byTopic, topicOf(e));
        const i = left.indexOf(e);
        for (const t of [...scopes, topic]) t.expected++;
        if (i >= 0) {
          left.splice(i, 1);
          for (const t of [...scopes, topic]) t.tp++;
        } else {
          for (const t of [...scopes, topic]) t.fn++;
          misses.push(`missed ${e} in ${where}`);
        }
      }
      for (const extra of left) {
        const topic = at(byTopic, topicOf(extra));
        for (const t of [...scopes, topic]) t.fp++;
        wrongs.push(`wrong ${extra} in ${where}`);
      }
      // A trap is sprung when a wrong highlight in its block overlaps its text.
      const wrongTexts = left.map((e) => e.slice(e.indexOf(':') + 1).toLowerCase());
      for (const trap of b.traps) {
        const t = trap.toLowerCase();
        const sprung = wrongTexts.some((w) => w.includes(t) || t.includes(w));
        for (const s of scopes) {
          s.traps++;
          if (sprung) s.sprung++;
        }
      }
      for (const s of scopes) s.blocks++;
      for (const t of new Set([...b.expected, ...b.found].map(topicOf))) at(byTopic, t).blocks++;
    }

    const precision = all.tp / Math.max(1, all.tp + all.fp);
    const related = wrongs.filter((w) => RELATED.test(w.slice('wrong '.length, w.indexOf(' in ')))).length;
    const precisionUnrelated = all.tp / Math.max(1, all.tp + all.fp - related);
    const recall = all.tp / Math.max(1, all.tp + all.fn);
    const used = (m: Map<string, Tally>) => [...m].filter(([, t]) => t.blocks || t.expected || t.fp);
    console.log(
      [
        `[labeled ${kind}] ${PAGES.length} pages from ${BASE}, ${all.blocks} blocks: ${all.expected} expected, ${all.tp} found, ${all.fn} missed, ${all.fp} wrong; precision ${precision.toFixed(3)} (${precisionUnrelated.toFixed(3)} with the ${related} related-entity highlights not scored), recall ${recall.toFixed(3)}; ${all.traps} traps, ${all.sprung} sprung`,
        table('by topic', [['all', all], ...used(byTopic)], false),
        table('by kind', used(byKind)),
        table('by page', used(byPage)),
        misses.length ? `misses (${misses.length}):\n  ${misses.join('\n  ')}` : 'misses: none',
        wrongs.length ? `wrong highlights (${wrongs.length}):\n  ${wrongs.join('\n  ')}` : 'wrong highlights: none',
        labelErrors.length ? `label errors (${labelErrors.length}):\n  ${labelErrors.join('\n  ')}` : 'label errors: none',
        // Reported, not asserted: they may come from the page's own scripts or from the extension's.
        pageErrors.length ? `uncaught errors in the pages (${pageErrors.length}):\n  ${pageErrors.join('\n  ')}` : 'uncaught errors in the pages: none',
      ].join('\n\n'),
    );
    expect.soft(labelErrors, 'the labels themselves are inconsistent').toEqual([]);
    expect.soft(all.expected, 'no expected mentions').toBeGreaterThan(0);
    expect.soft(precision, 'precision').toBeGreaterThanOrEqual(MIN_PRECISION);
    expect.soft(recall, 'recall').toBeGreaterThanOrEqual(MIN_RECALL);
  }, 600_000);
});
