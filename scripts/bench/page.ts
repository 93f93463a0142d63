/**
 * The benchmark's in-page side: the content script's real scanner and painter,
 * bundled on their own so the benchmark can run them, the floor and mark.js on
 * the same page in the same run. Exposed as `window.__cpBench`.
 */
import Mark from 'mark.js';
import dataset from '../../lib/dataset/dataset.json';
import { Painter } from '../../entrypoints/content/painter';
import { Scanner } from '../../entrypoints/content/scanner';
import { collectBatches, type TextBatch } from '../../entrypoints/content/collect';
import { compileMatcher, scanBlock } from '../../lib/matcher';
import { observeSlices, sliceStatsRecorder } from '../../entrypoints/content/schedule';
import type { TermIndex } from '../../lib/protocol';
import { buildTermIndex } from '../../lib/term-index';
import type { Dataset } from '../../lib/dataset/schema';

const data = dataset as Dataset;
const index: TermIndex = buildTermIndex(data.version, data.topics, data.cues);
const allTopics = new Set(data.topics.map((t) => t.id));
let scanner: Scanner | null = null;
let painter: Painter | null = null;
const { stats: sliceStats, observer } = sliceStatsRecorder();
observeSlices(observer);

function resetStats() {
  sliceStats.busyMs = 0;
  sliceStats.longestMs = 0;
  sliceStats.slices = 0;
}

const bench = {
  /** A bare TreeWalker pass that reads every text node: the least any scanner must do. */
  floor(): { ms: number; chars: number } {
    const t0 = performance.now();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let chars = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) chars += (n as Text).data.length;
    return { ms: performance.now() - t0, chars };
  },

  /** Where our time goes: the walk alone (collecting batches of segments), then scanning them. */
  breakdown(): { walkMs: number; matchMs: number; batches: number } {
    let t0 = performance.now();
    const batches: TextBatch[] = [];
    for (const batch of collectBatches(document.body)) if (batch) batches.push(batch);
    const walkMs = performance.now() - t0;
    const matcher = compileMatcher(index.spec, allTopics);
    t0 = performance.now();
    for (const batch of batches) scanBlock(matcher, batch.text);
    return { walkMs, matchMs: performance.now() - t0, batches: batches.length };
  },

  /** Our full pass: collect, match, resolve and register highlights. Busy time excludes yields. */
  async ours(): Promise<{ busyMs: number; wallMs: number; longestMs: number; slices: number; mentions: number }> {
    scanner?.stop();
    painter?.destroy();
    // The extension adopts this sheet before the page is parsed
    // (document_start), so its rules never restyle a built page. Here the
    // page is built already: that one restyle is taken now, before timing.
    const seed = `bench|${performance.timeOrigin}`;
    const sheet = Painter.adoptEarly(document, seed);
    void document.body.offsetHeight;
    painter = new Painter(
      document,
      index.topics.map((t) => t.id),
      {},
      seed,
      { sheet },
    );
    scanner = new Scanner(document, painter);
    resetStats();
    const t0 = performance.now();
    await scanner.configure(index, allTopics);
    const wallMs = performance.now() - t0;
    return { busyMs: sliceStats.busyMs, wallMs, longestMs: sliceStats.longestMs, slices: sliceStats.slices, mentions: scanner.findings().total };
  },

  /** mark.js over the same terms, across elements (it wraps matches in <mark>). */
  markjs(): { ms: number; marks: number } {
    const terms = data.topics.flatMap((t) => t.terms.map((term) => term.text));
    const instance = new Mark(document.body);
    const t0 = performance.now();
    let marks = 0;
    instance.mark(terms, { acrossElements: true, separateWordSearch: false, accuracy: 'exactly', done: (n: number) => (marks = n) });
    const ms = performance.now() - t0;
    instance.unmark();
    return { ms, marks };
  },

  /** Appends paragraphs and reports the cost of our incremental update for them. */
  async append(count: number, html: string): Promise<{ busyMs: number; longestMs: number; mentions: number }> {
    resetStats();
    const host = document.createElement('section');
    for (let i = 0; i < count; i++) {
      const p = document.createElement('p');
      p.innerHTML = html;
      host.append(p);
    }
    document.body.append(host);
    await settle();
    return { busyMs: sliceStats.busyMs, longestMs: sliceStats.longestMs, mentions: scanner?.findings().total ?? 0 };
  },

  /** An infinite-scroll feed: add a screenful, drop the oldest, many times. */
  async scroll(rounds: number, html: string): Promise<{ busyMsPerRound: number[]; longestMs: number; mentions: number; heapMb: number | null }> {
    const feed = document.createElement('div');
    document.body.append(feed);
    const busy: number[] = [];
    let longest = 0;
    for (let r = 0; r < rounds; r++) {
      resetStats();
      for (let i = 0; i < 20; i++) {
        const article = document.createElement('article');
        article.innerHTML = `<h3>Item ${r}-${i}</h3><p>${html}</p>`;
        feed.append(article);
      }
      while (feed.children.length > 200) feed.firstElementChild!.remove();
      await settle();
      busy.push(sliceStats.busyMs);
      longest = Math.max(longest, sliceStats.longestMs);
    }
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return { busyMsPerRound: busy, longestMs: longest, mentions: scanner?.findings().total ?? 0, heapMb: memory ? memory.usedJSHeapSize / 1e6 : null };
  },

  destroy(): void {
    scanner?.stop();
    painter?.destroy();
    scanner = null;
    painter = null;
  },
};

/** Waits for the mutation queue (flushed on the next frame) and its slices to finish. */
async function settle(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 16));
    if (sliceStats.slices === last && i > 2) return;
    last = sliceStats.slices;
  }
}

export type Bench = typeof bench;
(window as unknown as { __cpBench: Bench }).__cpBench = bench;
