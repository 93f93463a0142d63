/**
 * The scanner: finds mentions in the page and keeps them painted as the page
 * changes.
 *
 *   full pass:   collectSegments ─► scanBlock ─► (page cues known) ─► resolveBlock ─► paint
 *   mutations:   MutationObserver ─► queue ─► next frame: dirty blocks ─► rescan those only
 *                (a batch of over MAX_BATCH nodes becomes one full pass)
 *
 * Work is sliced (see schedule.ts) and every pass carries a generation number,
 * so a newer pass cancels an older one mid-way instead of racing it.
 */
import { compileMatcher, resolveBlock, scanBlock, type Candidate, type CompiledMatcher, type BlockScan } from '@/lib/matcher';
import { sentenceAround } from '@/lib/cards';
import type { Finding, TermIndex } from '@/lib/protocol';
import { blockOf, collectSegments, insideSkipped, isInline, locate, OWN_UI_TAG, type Segment } from './collect';
import type { Painter } from './painter';
import { Slice } from './schedule';

/** Mentions painted at most; past this the page is counted but not painted, and the popup says so. */
export const MAX_PAINTED = 5000;
/**
 * Mentions painted at most in one block. A reader gains nothing from
 * thousands of marks in one paragraph, and the browser's highlight painting
 * grows with the ranges on a text node (a 10 MB single-node page froze frames
 * for over 400 ms with 5,000 of them in Chromium).
 */
export const MAX_PER_BLOCK = 500;
/**
 * Text nodes longer than this are scanned and counted but never painted: any
 * highlight change inside one makes the browser re-walk the whole node before
 * painting (measured in Chromium 156: about 400 ms of PrePaint per change on a
 * 10 MB node, against 17 ms for a page without our highlight styles).
 */
export const MAX_NODE_CHARS = 262_144;
/** A mutation batch touching more nodes than this becomes one full rescan. */
const MAX_BATCH = 1000;
/** Huge text runs are scanned in windows of this many characters. */
const WINDOW = 32_768;

export interface Mention {
  id: number;
  topicId: string;
  text: string;
  sentence: string;
  paragraph: string;
  range: StaticRange;
  startNode: Text;
  endNode: Text;
  block: Element;
}

interface BlockState {
  mentions: Mention[];
  cues: string[];
  /** Kept only when a page-scope rule rejected something here, to retry when page cues grow. */
  retry?: { seg: Segment; scan: BlockScan; offset: number }[];
}

export class Scanner {
  private matcher: CompiledMatcher | null = null;
  private blocks = new Map<Element, BlockState>();
  private byNode = new Map<Text, Mention[]>();
  private pageCues = new Map<string, number>();
  private nextId = 1;
  private generation = 0;
  private observer: MutationObserver | null = null;
  private observedRoots = new Set<Node>();
  private queue: MutationRecord[] = [];
  private flushScheduled = false;
  private uncounted = 0;
  /** Mentions found but not painted (over a cap), per topic, so counts stay true. */
  private uncountedByTopic: Record<string, number> = {};
  private painted = 0;
  private sorted: Mention[] | null = null;
  state: 'scanning' | 'done' = 'scanning';
  /** Called after every pass or incremental update that changed the mentions. */
  onChange: () => void = () => undefined;
  /** Called for each open shadow root met, so its text can be styled too. */
  onShadowRoot: (root: ShadowRoot) => void = () => undefined;

  constructor(
    private readonly doc: Document,
    private readonly painter: Painter,
  ) {}

  /** (Re)compiles the matcher for the enabled topics and rescans the page. */
  configure(index: TermIndex, enabled: ReadonlySet<string>): Promise<void> {
    this.matcher = compileMatcher(index.spec, enabled);
    return this.fullScan();
  }

  get paintedCount(): number {
    return this.painted;
  }

  get capped(): boolean {
    return this.uncounted > 0;
  }

  /** Every painted mention in document order. */
  mentions(): Mention[] {
    if (this.sorted) return this.sorted;
    const all: Mention[] = [];
    for (const state of this.blocks.values()) all.push(...state.mentions);
    this.sorted = all.sort((a, b) => comparePosition(a, b));
    return this.sorted;
  }

  mentionsInNode(node: Text): Mention[] | undefined {
    return this.byNode.get(node);
  }

  blockHasMentions(el: Element): boolean {
    return (this.blocks.get(el)?.mentions.length ?? 0) > 0;
  }

  findings(): { findings: Finding[]; byTopic: Record<string, number>; total: number } {
    const byTopic: Record<string, number> = { ...this.uncountedByTopic };
    const list = this.mentions();
    for (const m of list) byTopic[m.topicId] = (byTopic[m.topicId] ?? 0) + 1;
    return {
      findings: list.map((m, index) => ({ index, topicId: m.topicId, text: m.text, sentence: m.sentence })),
      byTopic,
      total: list.length + this.uncounted,
    };
  }

  async fullScan(): Promise<void> {
    const generation = ++this.generation;
    this.state = 'scanning';
    const matcher = this.matcher;
    if (!matcher || !this.doc.body) {
      this.clear();
      return this.finish();
    }
    await afterRendering(this.doc);
    if (generation !== this.generation) return;
    this.clear();
    const slice = new Slice();
    const found: { seg: Segment; scan: BlockScan; offset: number }[] = [];
    const roots: Node[] = [this.doc.body];
    for (let r = 0; r < roots.length; r++) {
      for (const seg of collectSegments(roots[r]!, (root) => {
        roots.push(root);
        this.onShadowRoot(root);
      })) {
        if (!seg) {
          await slice.maybeYield();
          if (generation !== this.generation) return;
          continue;
        }
        let kept = 0;
        for (const part of windows(seg)) {
          const scan = scanBlock(matcher, part.text);
          this.addCues(seg.block, scan.cues);
          if (kept < MAX_PER_BLOCK) {
            if (scan.candidates.length) found.push({ seg, scan, offset: part.offset });
            kept += scan.candidates.length;
          } else {
            // Past the block's cap nothing more is painted here: count what this
            // window holds (against the cues seen so far) and let the scan go,
            // rather than keep hundreds of thousands of candidates alive.
            for (const c of resolveBlock(matcher, scan, new Set(this.pageCues.keys()))) this.countUnpainted(c.topicId);
          }
          await slice.maybeYield();
          if (generation !== this.generation) return;
        }
      }
    }
    for (const item of found) {
      this.paintScan(matcher, item.seg, item.scan, item.offset);
      await slice.maybeYield();
      if (generation !== this.generation) return;
    }
    this.observe(roots);
    slice.end();
    this.finish();
  }

  private finish(): void {
    this.state = 'done';
    this.onChange();
  }

  /** Resolves a scan against block and page cues and paints what is accepted. */
  private paintScan(matcher: CompiledMatcher, seg: Segment, scan: BlockScan, offset: number): void {
    const pageCues = new Set(this.pageCues.keys());
    const accepted = resolveBlock(matcher, scan, pageCues);
    const state = this.state_(seg.block);
    const rejectedPageRule = scan.candidates.some((c) => c.scope === 'page' && !accepted.includes(c));
    if (rejectedPageRule) (state.retry ??= []).push({ seg, scan, offset });
    for (const c of accepted) this.addMention(seg, c, offset, state);
  }

  private addMention(seg: Segment, c: Candidate, offset: number, state: BlockState): void {
    if (this.painted >= MAX_PAINTED || state.mentions.length >= MAX_PER_BLOCK) {
      this.countUnpainted(c.topicId);
      return;
    }
    const start = c.start + offset;
    const end = c.end + offset;
    const at = locate(seg, start, end);
    if (at.startNode.length > MAX_NODE_CHARS || at.endNode.length > MAX_NODE_CHARS) {
      this.countUnpainted(c.topicId);
      return;
    }
    const range = new StaticRange({ startContainer: at.startNode, startOffset: at.startOffset, endContainer: at.endNode, endOffset: at.endOffset });
    const mention: Mention = {
      id: this.nextId++,
      topicId: c.topicId,
      text: seg.text.slice(start, end),
      sentence: sentenceAround(seg.text, start, end),
      paragraph: seg.text.length > 2000 ? seg.text.slice(Math.max(0, start - 1000), end + 1000) : seg.text,
      range,
      startNode: at.startNode,
      endNode: at.endNode,
      block: seg.block,
    };
    this.painted++;
    this.sorted = null;
    state.mentions.push(mention);
    for (const node of new Set([at.startNode, at.endNode])) {
      const list = this.byNode.get(node);
      if (list) list.push(mention);
      else this.byNode.set(node, [mention]);
    }
    this.painter.add(c.topicId, range);
  }

  private countUnpainted(topicId: string): void {
    this.uncounted++;
    this.uncountedByTopic[topicId] = (this.uncountedByTopic[topicId] ?? 0) + 1;
  }

  private state_(block: Element): BlockState {
    let state = this.blocks.get(block);
    if (!state) {
      state = { mentions: [], cues: [] };
      this.blocks.set(block, state);
    }
    return state;
  }

  private addCues(block: Element, cues: Set<string>): void {
    if (!cues.size) return;
    const state = this.state_(block);
    for (const cue of cues) {
      state.cues.push(cue);
      this.pageCues.set(cue, (this.pageCues.get(cue) ?? 0) + 1);
    }
  }

  /** Forgets a block: unpaints its mentions and takes back its cues. */
  private dropBlock(block: Element): void {
    const state = this.blocks.get(block);
    if (!state) return;
    this.unpaint(state);
    for (const cue of state.cues) {
      const n = (this.pageCues.get(cue) ?? 1) - 1;
      if (n > 0) this.pageCues.set(cue, n);
      else this.pageCues.delete(cue);
    }
    this.blocks.delete(block);
  }

  /** Takes a block's mentions off the page and out of the indexes. */
  private unpaint(state: BlockState): void {
    if (!state.mentions.length) return;
    this.painted -= state.mentions.length;
    this.sorted = null;
    for (const m of state.mentions) {
      this.painter.remove(m.topicId, m.range);
      for (const node of [m.startNode, m.endNode]) {
        const list = this.byNode.get(node)?.filter((x) => x !== m);
        if (list?.length) this.byNode.set(node, list);
        else this.byNode.delete(node);
      }
    }
    state.mentions = [];
  }

  private clear(): void {
    for (const block of [...this.blocks.keys()]) this.dropBlock(block);
    this.uncounted = 0;
    this.uncountedByTopic = {};
    this.painted = 0;
    this.sorted = null;
  }

  // ── Incremental updates ────────────────────────────────────────────────

  private observe(roots: Node[]): void {
    this.observer ??= new MutationObserver((records) => this.enqueue(records));
    for (const root of roots) {
      if (this.observedRoots.has(root)) continue;
      this.observedRoots.add(root);
      this.observer.observe(root, { childList: true, characterData: true, subtree: true });
    }
  }

  /** Never works inside the observer callback: queue, then flush on the next frame. */
  private enqueue(records: MutationRecord[]): void {
    for (const r of records) if (!isOwnUi(r.target)) this.queue.push(r);
    if (this.flushScheduled || !this.queue.length) return;
    this.flushScheduled = true;
    const run = () => void this.flush();
    // After the next frame's rendering, so the page's own style and layout are
    // already done and our visibility checks do not force them inside our task.
    if (typeof requestAnimationFrame === 'function' && this.doc.visibilityState === 'visible') requestAnimationFrame(() => setTimeout(run, 0));
    else setTimeout(run, 50);
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const records = this.queue;
    this.queue = [];
    const matcher = this.matcher;
    if (!matcher || this.state === 'scanning') {
      // A full pass is running (or nothing to match): it will see the new DOM.
      return;
    }
    let touched = 0;
    const dirty = new Set<Element>();
    for (const r of records) {
      touched += r.addedNodes.length + r.removedNodes.length + 1;
      if (r.type === 'characterData') {
        const block = blockOf(r.target);
        if (block) dirty.add(block);
      } else {
        // Added block elements are scanned on their own; added inline content changes its block's text.
        for (const node of r.addedNodes) {
          if (node.nodeType === 1 && !isInline(node as Element)) dirty.add(node as Element);
          else if (node.nodeType === 1 || node.nodeType === 3) {
            const block = blockOf(node);
            if (block) dirty.add(block);
          }
        }
        for (const node of r.removedNodes) {
          this.dropRemoved(node);
          if (node.nodeType === 3 || (node.nodeType === 1 && isInline(node as Element))) {
            const block = r.target.nodeType === 1 ? blockOf((r.target as Element).firstChild ?? r.target) : null;
            if (block && r.target.isConnected) dirty.add(r.target as Element);
          }
        }
      }
    }
    if (touched > MAX_BATCH) return this.fullScan();
    const generation = this.generation;
    const slice = new Slice();
    const roots = topmost([...dirty].filter((el) => el.isConnected && !insideSkipped(el)));
    const grew = new Set(this.pageCues.keys());
    const found: { seg: Segment; scan: BlockScan; offset: number }[] = [];
    for (const root of roots) {
      for (const [block] of this.blocks) if (root === block || root.contains(block)) this.dropBlock(block);
      for (const seg of collectSegments(root)) {
        if (!seg) {
          await slice.maybeYield();
          if (generation !== this.generation) return;
          continue;
        }
        for (const part of windows(seg)) {
          const scan = scanBlock(matcher, part.text);
          this.addCues(seg.block, scan.cues);
          if (scan.candidates.length) found.push({ seg, scan, offset: part.offset });
          await slice.maybeYield();
          if (generation !== this.generation) return;
        }
      }
    }
    for (const item of found) {
      this.paintScan(matcher, item.seg, item.scan, item.offset);
      await slice.maybeYield();
      if (generation !== this.generation) return;
    }
    if ([...this.pageCues.keys()].some((cue) => !grew.has(cue))) this.retryPageRules(matcher);
    slice.end();
    this.onChange();
  }

  /** New page-level cues arrived: blocks whose page-scope candidates were rejected get another look. */
  private retryPageRules(matcher: CompiledMatcher): void {
    for (const [block, state] of this.blocks) {
      if (!state.retry || !block.isConnected) continue;
      const retry = state.retry;
      state.retry = undefined;
      this.unpaint(state);
      for (const item of retry) this.paintScan(matcher, item.seg, item.scan, item.offset);
    }
  }

  private dropRemoved(node: Node): void {
    if (node.nodeType === 3) {
      const block = this.byNode.get(node as Text)?.[0]?.block;
      if (block) this.dropBlock(block);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    for (const block of [...this.blocks.keys()]) {
      if (block === el || el.contains(block)) this.dropBlock(block);
    }
  }

  destroy(): void {
    this.generation++;
    this.observer?.disconnect();
    this.observer = null;
    this.observedRoots.clear();
    this.queue = [];
    this.clear();
  }
}

/**
 * Resolves once the browser has rendered a frame (style and layout clean), so
 * the visibility checks that follow read computed style instead of forcing it
 * inside our task. Hidden tabs render no frames: a short timer instead.
 */
function afterRendering(doc: Document): Promise<void> {
  return new Promise((done) => {
    if (typeof requestAnimationFrame === 'function' && doc.visibilityState === 'visible') requestAnimationFrame(() => setTimeout(done, 0));
    else setTimeout(done, 0);
  });
}

/** Huge text runs, a window at a time (lazily, so a slice copies one window, not the whole run). */
function* windows(seg: Segment): Generator<{ text: string; offset: number }> {
  if (seg.text.length <= WINDOW) {
    yield { text: seg.text, offset: 0 };
    return;
  }
  let start = 0;
  while (start < seg.text.length) {
    let end = Math.min(seg.text.length, start + WINDOW);
    if (end < seg.text.length) {
      const space = seg.text.lastIndexOf(' ', end);
      if (space > start + WINDOW / 2) end = space;
    }
    yield { text: seg.text.slice(start, end), offset: start };
    start = end;
  }
}

function topmost(elements: Element[]): Element[] {
  return elements.filter((el) => !elements.some((other) => other !== el && other.contains(el)));
}

function isOwnUi(node: Node): boolean {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return el?.closest?.(OWN_UI_TAG.toLowerCase()) != null;
}

function comparePosition(a: Mention, b: Mention): number {
  if (a.startNode === b.startNode) return a.range.startOffset - b.range.startOffset;
  const pos = a.startNode.compareDocumentPosition(b.startNode);
  return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : pos & Node.DOCUMENT_POSITION_PRECEDING ? 1 : 0;
}
