/**
 * The scanner: finds mentions in the page and keeps them painted as the page
 * changes. One loop serves the first pass, every later change and every
 * reconfiguration:
 *
 *   configure ──► request(page) ─┐
 *   MutationObserver ──► request(block) / forget(removed subtree)
 *                                ▼
 *   loop, after a rendered frame:  roots ─► gate: may they hold a term? ── no ─► done (onChange)
 *        ─► collect segments ─► scan (lib/matcher)
 *        ─► resolve against block and page cues ─► keep, in document order
 *        ─► retry page-scope rules if the page's cues grew ─► paint (caps) ─► onChange
 *
 * The gate is asked on a page-wide pass, and on every turn while the page
 * held no term; a "maybe" on such a turn makes it a page-wide pass.
 *
 * The observer is attached before the first pass, so nothing that changes
 * while a pass runs is lost: it is queued and handled by the next turn of the
 * loop. Work is sliced (schedule.ts); a page-wide request abandons a running
 * pass instead of racing it.
 */
import {
  ABOUT_HITS,
  compileCueGate,
  compileGate,
  formsIn,
  CueHitCollector,
  compileSteps,
  type Gate,
  MATCHER_BUILD,
  resolveBlock,
  scanBlock,
  type BlockScan,
  type Candidate,
  type CompiledMatcher,
  type CueGate,
  type CueHit,
  type MatcherSpec,
  mayMatch,
  type PageContext,
} from '@/lib/matcher';
import { sentenceAround } from '@/lib/sentence';
import { MAX_LISTED, MAX_NODE_CHARS, MAX_PAINTED, MAX_PER_BLOCK, MAX_RETAINED } from '@/lib/limits';
import type { Finding, TermIndex } from '@/lib/protocol';
import {
  BatchCollector,
  blockOf,
  insideSkipped,
  isInline,
  isShown,
  isSkipped,
  locate,
  segmentAt,
  segmentIndex,
  ShownCache,
  SKIP_ATTRIBUTE_NAMES,
  type Block,
  type Pruner,
  type Segment,
  type TextBatch,
  readsAtOnce,
  walkedText,
} from './collect';
import { compareNodes, rangeRect } from './geometry';
import type { Painter } from './painter';
import { nextBatchChars, Slice, whenIdle } from './schedule';
import { PAGE_SWEEP_DELAYS_MS, ShadowSweep } from './shadow-sweep';

/** A mutation batch touching more nodes than this becomes one page-wide pass. */
const MAX_BATCH = 1000;
/**
 * Elements whose text held a mention a reader could not see, looked at again
 * (`recheck`) in case the page shows them: at most this many.
 */
const MAX_UNSEEN = 256;
/**
 * Huge text runs are scanned in windows of at most this many characters:
 * the first of FIRST_BATCH_CHARS, the rest sized by how long the last took
 * (nextBatchChars), since a window dense with mentions costs many times what
 * plain text does. 32,768 characters of one mention every 90 took 27–43 ms
 * to scan in Chromium.
 */
const WINDOW = 32_768;
/** A window is scanned this far past its end, so that a term across the cut is found whole. */
const WINDOW_OVERLAP = 256;
/**
 * A huge text's candidates are resolved and kept this many at a time. Each
 * kept one is checked for visibility in the element its text sits in: in a
 * paragraph of 100,000 spans, 2,000 at a time took up to 96 ms of ours in
 * one task, and 256 at a time 15–16 ms on a page of one 10 MB text node
 * (Chromium).
 */
const HUGE_PART = 64;
/**
 * Text is collected and scanned in batches of about this many characters:
 * enough to spread the per-scan cost, few enough that a batch's nodes are
 * let go before the next minor garbage collection has to copy them.
 */
const BATCH_CHARS = 8_192;
/** The first batch of a walk: grown towards BATCH_CHARS while batches are quick (nextBatchChars). */
const FIRST_BATCH_CHARS = 2_048;
/** A page served larger than this has its body read by the gate batch by batch (see mayHold). */
const GATE_MAX_BYTES = 2_000_000;
/**
 * A pruned walk (see `pruner`) reads the text of a block that may hold a
 * term whole when it is at most this long, and asks of the blocks inside a
 * longer one.
 */
const ASK_CHARS = 2_048;
/** The text of a block longer than this is not put to the gates: the walk goes in and asks of its blocks. */
const TEST_MAX_CHARS = 65_536;
/**
 * A walk starts asking of blocks once it has read this much text. On news
 * pages of ordinary size, asking from the start cost more than it saved: in
 * Chromium the asking took 31-39 ms of our time on two of the benchmark's
 * real pages (reading the text of nested blocks, building the cue gate as
 * the page's topics came in), where the whole walk had taken about 6 ms.
 */
const PRUNE_AFTER_CHARS = 262_144;
/**
 * A pruned walk reads the text of the blocks it asks of natively, and the
 * text of nested blocks more than once: at most this many times the page's
 * size (or a megabyte) in all, after which it reads every block it meets.
 */
const PRUNE_READ_FACTOR = 4;

/** The size of the page's HTML as served (0 when the browser does not say). */
function servedBytes(doc: Document): number {
  const entry = doc.defaultView?.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  return entry?.decodedBodySize ?? 0;
}

/** One mention on the page. Its sentence and paragraph are read from its segment on demand. */
export class Mention {
  constructor(
    readonly id: number,
    readonly topicId: string,
    readonly range: StaticRange,
    readonly startNode: Text,
    readonly endNode: Text,
    readonly block: Block,
    private readonly segmentText: string,
    /** Offsets of the mention in its segment's text. */
    readonly start: number,
    readonly end: number,
  ) {}

  private sentenceCache: string | undefined;

  get text(): string {
    return this.segmentText.slice(this.start, this.end);
  }

  /** The sentence around the mention (for card choice and the popup). */
  get sentence(): string {
    return (this.sentenceCache ??= sentenceAround(this.segmentText, this.start, this.end));
  }

  /** The paragraph around the mention, at most ~2,000 characters of it. */
  get paragraph(): string {
    const t = this.segmentText;
    return t.length > 2000 ? t.slice(Math.max(0, this.start - 1000), this.end + 1000) : t;
  }
}

/** One scanned run of text and what came of it. */
interface SegmentRecord {
  block: Block;
  first: Text;
  mentions: Mention[];
  /**
   * Scans whose page-scope candidates were rejected, to try again when the
   * page's cues grow, with the candidates already accepted (kept, or counted
   * past a cap), which a retry leaves alone.
   */
  retry?: { scan: BlockScan; offset: number; seg: Segment; accepted: ReadonlySet<Candidate> }[];
  dead?: boolean;
}

export interface ScanFindings {
  findings: Finding[];
  byTopic: Record<string, number>;
  total: number;
  /** The listed mention at the reader's place (see PageFindings.reading). */
  reading: number | null;
}

export interface ScannerOptions {
  /** Called for each open shadow root met, so its text can be styled too. */
  onShadowRoot?: (root: ShadowRoot) => void;
  /**
   * Called when the page puts a new root element in the document: it swapped
   * its <html> element, or rewrote itself with document.open(), which also
   * removes every listener on the document and the window, ours included.
   */
  onNewRoot?: () => void;
  /** Our own UI, never scanned and never a reason to rescan. */
  isOwnUi?: (node: Node) => boolean;
  /** Our own elements in the page (the card's host), left out of every walk. */
  ownElements?: () => Iterable<Element>;
  /** How much text a walk reads before it starts asking of blocks (PRUNE_AFTER_CHARS; tests set 0 or Infinity). */
  pruneAfterChars?: number;
  /** When the page is swept for late shadow roots after a page-wide pass (PAGE_SWEEP_DELAYS_MS; tests shorten it). */
  pageSweepDelaysMs?: readonly number[];
}

export class Scanner {
  private matcher: CompiledMatcher | null = null;
  /** The quick test that text holds no term (undefined until first needed after `configure`). */
  private gate: Gate | null | undefined;
  private gateFor: (() => Gate | null) | null = null;
  /** What the matcher was configured with, for the cue gate of a pruned walk. */
  private spec: MatcherSpec | null = null;
  private enabled: ReadonlySet<string> = new Set();
  /**
   * The cue gate for the cues the page is not yet known to be about, built
   * when `pageAbout` had `aboutSize` names (it only grows between resets).
   */
  private cueGate: { aboutSize: number; gate: CueGate } | null = null;
  /**
   * True while the page, at its last page-wide pass, held no term: nothing
   * was walked or matched. Text added later is asked the same; if it may
   * hold a term, the whole page is read.
   */
  private quiet = false;
  /** Builds the matcher `configure` asked for; the loop runs it before its next turn. */
  private compile: (() => Generator<void, CompiledMatcher, void>) | null = null;
  private readonly blocks = new Map<Block, SegmentRecord[]>();
  /** Segments with mentions, in document order. */
  private order: SegmentRecord[] = [];
  private orderDirty = false;
  private flat: Mention[] | null = null;
  private readonly byNode = new Map<Text, Mention[]>();
  /**
   * Cue names seen anywhere on the page since the last page-wide pass. Only
   * ever grows between passes: text that leaves the page does not take its
   * cues with it (keeping a count per segment would cost a record for every
   * paragraph that says "AI" or "chips").
   */
  private readonly pageCues = new Set<string>();
  /**
   * What the page is about, for rules that look past their paragraph: the
   * cues (of those such rules name) in the title or a heading, or met at
   * least ABOUT_HITS times. Grows like pageCues.
   */
  private readonly pageAbout = new Set<string>();
  private readonly cueCounts = new Map<string, number>();
  private readonly context: PageContext = { cues: this.pageCues, about: this.pageAbout };
  /** Mentions found but not kept (over a cap), per topic, so counts stay true. */
  private overflow: Record<string, number> = {};
  private retained = 0;
  private readonly painted = new Set<Mention>();
  /** What the last page-wide pass painted, on screen until the next one paints (see forgetAll). */
  private old: Mention[] = [];
  private nextId = 1;

  private observer: MutationObserver | null = null;
  private readonly observed = new Set<Node>();
  private pendingFull = false;
  private readonly pendingRoots = new Set<Node>();
  private pendingRemoved: Element[] = [];
  private running: Promise<void> | null = null;
  /** Bumped by `stop()`: a running turn of the loop sees it and gives up. */
  private epoch = 0;
  /** True while a page-wide pass walks the document itself: segments arrive in document order. */
  private inOrder = false;
  /** Whether an element's text can be seen, for the current turn (styles may change between turns). */
  private shown = new ShownCache();
  /** Elements holding a mention's text that could not be seen when it was read, with their blocks. */
  private readonly unseen = new Map<Element, Block>();
  /** More were hidden than `unseen` holds: once any is shown, the whole page is read again. */
  private unseenLost = false;
  /** Was the document in design mode at the last page-wide pass? Then it is an editor as a whole, and left alone. */
  private designMode = false;

  /** 'scanning' until a page-wide pass has finished. */
  state: 'scanning' | 'done' = 'scanning';
  /** Called after every turn of the loop. */
  onChange: () => void = () => undefined;

  private readonly isOwnUi: (node: Node) => boolean;
  /** Looks again, after each turn, for shadow roots attached where the walk already passed. */
  private readonly sweep: ShadowSweep;

  constructor(
    private readonly doc: Document,
    private readonly painter: Painter,
    private readonly options: ScannerOptions = {},
  ) {
    this.isOwnUi = options.isOwnUi ?? (() => false);
    this.sweep = new ShadowSweep(
      doc,
      // Known roots, and our own UI's (the card's root is open in the e2e build): nothing to add.
      (root) => this.observed.has(root) || this.isOwnUi(root),
      (root) => {
        this.observe(root);
        this.options.onShadowRoot?.(root);
        this.pendingRoots.add(root);
        void this.kick();
      },
    );
  }

  /** (Re)compiles the matcher for the enabled topics and rescans the page. Resolves when the page is scanned. */
  configure(index: TermIndex, enabled: ReadonlySet<string>): Promise<void> {
    // Compiled by the loop, in a task of its own: at start the script has
    // already read storage and set up in the task that ran it. Not at all on
    // a page that holds no term.
    this.compile = () => compileSteps(index.spec, enabled);
    this.gate = undefined;
    this.spec = index.spec;
    this.enabled = enabled;
    this.cueGate = null;
    // The forms the index carries, when the same matcher code worked them out.
    this.gateFor = () => compileGate(index.spec, enabled, index.forms?.build === MATCHER_BUILD ? index.forms.byTopic : undefined);
    this.epoch++;
    this.sweep.stop();
    // The document itself, not its root element: a page may replace that.
    this.observe(this.doc);
    this.pendingFull = true;
    return this.kick();
  }

  /**
   * Looks again at what a page can change with no change to its DOM: reads
   * again the blocks whose hidden text held a mention, where that text can
   * now be seen, and the whole page when it went into or out of design
   * mode. Cheap when nothing changed: a style check per element, with the
   * page's styles already worked out.
   */
  recheck(): void {
    if (this.designMode !== (this.doc.designMode === 'on') && this.observer) {
      this.pendingFull = true;
      void this.kick();
      return;
    }
    if (!this.unseen.size || !this.matcher) return;
    const shown = new ShownCache();
    for (const [el, block] of this.unseen) {
      if (el.isConnected && !isShown(el, shown)) continue;
      this.unseen.delete(el);
      if (el.isConnected) this.pendingRoots.add(block);
    }
    // Some hidden text was not remembered: when any is shown, the rest may be too (a page faded in as a whole).
    if (this.pendingRoots.size && this.unseenLost) this.pendingFull = true;
    if (this.pendingRoots.size) void this.kick();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** True when the last page-wide pass found that the page holds no term, and so walked none of its text. */
  get holdsNoTerm(): boolean {
    return this.quiet;
  }

  get capped(): boolean {
    return this.painted.size < this.total();
  }

  /** Every kept mention in document order. */
  mentions(): Mention[] {
    if (this.flat) return this.flat;
    this.compactOrder();
    this.flat = this.order.flatMap((s) => s.mentions);
    return this.flat;
  }

  mentionsInNode(node: Text): readonly Mention[] | undefined {
    return this.byNode.get(node);
  }

  blockHasMentions(block: Block): boolean {
    return this.blocks.get(block)?.some((s) => s.mentions.length > 0) ?? false;
  }

  /** Is this mention still one of the page's (not replaced by a rescan, not removed)? */
  isKept(m: Mention): boolean {
    return this.byNode.get(m.startNode)?.includes(m) ?? false;
  }

  isPainted(m: Mention): boolean {
    return this.painted.has(m);
  }

  findings(): ScanFindings {
    const byTopic: Record<string, number> = { ...this.overflow };
    const list = this.mentions();
    for (const m of list) byTopic[m.topicId] = (byTopic[m.topicId] ?? 0) + 1;
    return {
      findings: list.slice(0, MAX_LISTED).map((m, index) => ({ index, topicId: m.topicId, text: m.text, sentence: m.sentence })),
      byTopic,
      total: this.total(),
      reading: this.readingIndex(list),
    };
  }

  /**
   * The listed mention nearest the middle of the viewport: the first at or
   * below it, or the one just above when that is closer (or when every
   * mention is above). Null when nothing is listed.
   */
  private readingIndex(list: Mention[]): number | null {
    const listed = Math.min(list.length, MAX_LISTED);
    if (!listed) return null;
    const below = Math.min(this.readerIndex(list.slice(0, listed)), listed - 1);
    if (below === 0) return 0;
    const view = this.doc.defaultView;
    const middle = (view?.innerHeight ?? 0) / 2;
    const at = rangeRect(list[below]!.range);
    const above = rangeRect(list[below - 1]!.range);
    if (!at || !above) return below;
    if (at.bottom < middle) return below;
    return middle - above.bottom < at.top - middle ? below - 1 : below;
  }

  /** Every mention found: kept ones and those only counted. */
  total(): number {
    let n = this.retained;
    for (const k in this.overflow) n += this.overflow[k]!;
    return n;
  }

  /** Stops observing and takes every highlight off the page. `configure` starts again. */
  stop(): void {
    this.epoch++;
    this.sweep.stop();
    this.observer?.disconnect();
    this.observer = null;
    this.observed.clear();
    this.pendingFull = false;
    this.pendingRoots.clear();
    this.pendingRemoved = [];
    this.forgetAll();
    this.quiet = false;
    this.state = 'scanning';
  }

  // ── The loop ────────────────────────────────────────────────────────────

  private kick(): Promise<void> {
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    while (this.pendingFull || this.pendingRoots.size || this.pendingRemoved.length) {
      const epoch = this.epoch;
      await whenIdle(this.doc);
      if (epoch !== this.epoch) continue;
      // One budget for the whole turn: each phase (gate, compile, walk, retry,
      // paint) goes on in the slice the one before it left, so no two of them
      // share a task with a budget each.
      const slice = new Slice();
      try {
        await this.turn(epoch, slice);
      } finally {
        slice.end();
      }
    }
  }

  /** One turn of the loop: what is pending, gated, compiled for, scanned and painted. */
  private async turn(epoch: number, slice: Slice): Promise<void> {
    const full = this.pendingFull;
    this.shown = new ShownCache();
    let roots: Node[];
    if (full) {
      this.pendingFull = false;
      this.pendingRoots.clear();
      this.pendingRemoved = [];
      this.forgetAll(true);
      this.state = 'scanning';
      // A document in design mode is an editor as a whole (a rich-text editor's frame): like an editable element, left alone.
      this.designMode = this.doc.designMode === 'on';
      roots = this.doc.body && !this.designMode ? [this.doc.body] : [];
    } else {
      for (const el of this.pendingRemoved) this.forgetUnder(el);
      this.pendingRemoved = [];
      roots = this.designMode ? [] : topmost([...this.pendingRoots].filter((r) => r.isConnected && !insideSkipped(r)));
      this.pendingRoots.clear();
      for (const root of roots) this.forgetUnder(root);
    }
    if (full || this.quiet) {
      const quiet = await this.quietUnder(roots, epoch, slice);
      if (quiet === null) return;
      if (quiet) {
        this.dropOld();
        this.quiet = true;
        if (full) this.state = 'done';
        this.sweepLater(roots, full);
        this.onChange();
        return;
      }
      if (!full) {
        // New text on a page that held no term: read the whole page, so that its cues are known too.
        this.pendingFull = true;
        return;
      }
      this.quiet = false;
    }
    if (this.compile) {
      const compiled = await this.compiled(this.compile(), epoch, slice);
      if (!compiled) return;
      this.matcher = compiled;
      this.compile = null;
    }
    if (epoch !== this.epoch || !this.matcher) return;
    if (full) this.readTitle(this.matcher);
    const cuesBefore = this.pageCues.size + this.pageAbout.size;
    const finished = await this.scanRoots(roots, epoch, full, slice);
    if (!finished) return;
    if (this.pageCues.size + this.pageAbout.size > cuesBefore && !(await this.retryPageRules(epoch, slice))) return;
    await this.paint(epoch, slice);
    if (epoch !== this.epoch) return;
    if (full) this.state = 'done';
    this.sweepLater(roots, full);
    this.onChange();
  }

  /** Looks again for shadow roots attached under these roots with no change an observer sees (see ShadowSweep). */
  private sweepLater(roots: readonly Node[], full: boolean): void {
    this.sweep.schedule(topmost(roots.filter((r) => r.isConnected)), full ? (this.options.pageSweepDelaysMs ?? PAGE_SWEEP_DELAYS_MS) : undefined);
  }

  /** Runs a compilation in the turn's slices; null when the turn was abandoned meanwhile. */
  private async compiled(steps: Generator<void, CompiledMatcher, void>, epoch: number, slice: Slice): Promise<CompiledMatcher | null> {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return epoch === this.epoch ? step.value : null;
      if (slice.spent()) {
        await slice.maybeYield();
        if (epoch !== this.epoch) return null;
      }
    }
  }

  /**
   * Is there no term to find under these roots? Asks the gate (lib/matcher/gate.ts)
   * of the text the walk would read under each root (at once, or batch by
   * batch for a large one), and stops at the first root that may hold one: the
   * usual answer on a page about the topics, for the cost of reading its
   * text up to there. When none may, walks the roots' elements (no text) for
   * the open shadow roots a full pass would meet, observes them, and asks the
   * same of each. Null when the turn was abandoned.
   */
  private async quietUnder(given: readonly Node[], epoch: number, slice: Slice): Promise<boolean | null> {
    const gate = (this.gate ??= this.gateFor?.() ?? null);
    const done = (quiet: boolean | null) => (epoch === this.epoch ? quiet : null);
    // Built cold, the gate can take most of a slice: its first read may wait for the next.
    await slice.maybeYield();
    if (epoch !== this.epoch) return null;
    for (const root of given) {
      const holds = await this.mayHold(root, gate, slice, epoch);
      if (holds !== false) return done(holds === null ? null : false);
    }
    // The roots met here are walked again by the pass that follows if one holds a term.
    const roots = [...given];
    let holds = false;
    for (let r = 0; r < roots.length && !holds; r++) {
      const onShadowRoot = (shadow: ShadowRoot) => {
        this.observe(shadow);
        this.options.onShadowRoot?.(shadow);
        roots.push(shadow);
        // A shadow root's text is read at once, natively: a component's, not a page's.
        holds ||= !!gate && mayMatch(gate, walkedText(shadow));
      };
      const collector = new BatchCollector(roots[r]!, onShadowRoot, this.options.ownElements?.() ?? [], BATCH_CHARS, true);
      while (!holds && collector.next() !== undefined) {
        if (slice.spent()) {
          await slice.maybeYield();
          if (epoch !== this.epoch) return done(null);
        }
      }
    }
    return done(!holds);
  }

  /**
   * Could the walk find a term under `root`? False only when the gate is
   * sure; null when the turn was abandoned while reading. A root too large
   * to read at once (`readsAtOnce`) is read batch by batch, with a pause
   * when the slice is spent, whatever its size or how it was built.
   */
  private async mayHold(root: Node, gate: Gate | null, slice: Slice, epoch: number): Promise<boolean | null> {
    if (!gate) return false;
    // The body of a page served large is not read at once even if its elements are few: it may hold megabytes of text.
    if (!(root === this.doc.body && servedBytes(this.doc) > GATE_MAX_BYTES) && readsAtOnce(root)) {
      // Deciding costs a native search of the root; the read is another.
      await slice.maybeYield();
      if (epoch !== this.epoch) return null;
      const found = formsIn(gate, walkedText(root));
      if (found === 'none') return false;
      // A form that stands as a whole word in the native read: yes. But that read runs two blocks' words
      // together, so it finds forms inside words too ('r1' in 'bar1', 'bis' in 'bishop'); where it finds
      // only such, the batches below, whose blocks stand apart, look for whole words, and a page that
      // holds no more than that is not matched: its matcher is never built.
      if (found === 'whole') return true;
    }
    // The walk's own batches: no term spans two of its segments, so each batch is asked on its own, and
    // a huge one in windows that overlap as the scan's do. Shadow roots are left to quietUnder.
    const collector = new BatchCollector(root, () => undefined, this.options.ownElements?.() ?? [], BATCH_CHARS);
    for (let batch = collector.next(); batch !== undefined; batch = collector.next()) {
      const text = batch?.text ?? '';
      for (let at = 0; ; at += WINDOW) {
        if (mayMatch(gate, text.slice(at, at + WINDOW + WINDOW_OVERLAP), undefined, true)) return true;
        await slice.maybeYield();
        if (epoch !== this.epoch) return null;
        if (at + WINDOW >= text.length) break;
      }
    }
    return false;
  }

  /** Walks the roots (and open shadow roots met on the way). False when the turn was abandoned. */
  private async scanRoots(roots: Node[], epoch: number, full: boolean, slice: Slice): Promise<boolean> {
    const matcher = this.matcher!;
    let collected = 0;
    const pruneAfter = this.options.pruneAfterChars ?? PRUNE_AFTER_CHARS;
    let pruner: Pruner | null = pruneAfter <= 0 ? this.pruner() : null;
    const pause = async () => {
      if (!slice.spent()) return true;
      await slice.maybeYield();
      return epoch === this.epoch && !!this.matcher;
    };
    for (let r = 0; r < roots.length; r++) {
      // The first root of a page-wide pass is the body: what it yields comes in
      // document order and can simply be appended. Shadow roots come after and
      // are placed by comparison.
      this.inOrder = full && r === 0;
      const onShadowRoot = (shadow: ShadowRoot) => {
        this.forgetUnder(shadow);
        this.observe(shadow);
        this.options.onShadowRoot?.(shadow);
        roots.push(shadow);
      };
      // Batches start small and grow while they are quick: a batch dense
      // with mentions is scanned, resolved and kept at once, and 8 kB of it
      // took 30-45 ms (traced) where 8 kB of plain text takes a few.
      const collector = new BatchCollector(roots[r]!, onShadowRoot, this.options.ownElements?.() ?? [], FIRST_BATCH_CHARS);
      if (pruner) collector.prune(pruner);
      for (let batch = collector.next(); batch !== undefined; batch = collector.next()) {
        if (batch && !pruner && (collected += batch.text.length) >= pruneAfter && (pruner = this.pruner())) collector.prune(pruner);
        if (batch && batch.text.length > WINDOW * 2) {
          if (!(await this.addHugeBatch(matcher, batch, pause))) return this.abandon();
        } else if (batch) {
          const worked = slice.worked();
          if (!(await this.addBatch(matcher, batch, slice, pause))) return this.abandon();
          collector.maxChars = nextBatchChars(collector.maxChars, slice.worked() - worked, BATCH_CHARS);
        }
        if (!(await pause())) return this.abandon();
      }
    }
    this.inOrder = false;
    return true;
  }

  /**
   * Decides which blocks of a walk are read: a block whose text (read
   * natively, `walkedText`) can hold no term, and no cue of those the page is
   * not yet known to be about, adds nothing a walk of it would find. Its text
   * is not walked, split or matched; only its elements are visited, for the
   * open shadow roots among them. Most of a page's text is such (navigation,
   * comments, the rest of a feed), and on the benchmark's generated pages
   * six paragraphs in seven.
   *
   * The cues matter because rules look past their paragraph: the page's cues
   * and what it is about (ABOUT_HITS, headings) decide ambiguous terms
   * elsewhere. Once the page is about a cue, more of it changes nothing;
   * until then, a block that may hold one is read.
   */
  private pruner(): Pruner | null {
    const gate = (this.gate ??= this.gateFor?.() ?? null);
    if (!gate) return null;
    const budget = PRUNE_READ_FACTOR * Math.max(servedBytes(this.doc), 1_000_000);
    let read = 0;
    return (el) => {
      if (read > budget) return 'read';
      // An only child holds about all of its parent's text: go in without reading it again.
      if (!el.previousElementSibling && !el.nextElementSibling) return 'ask';
      const text = walkedText(el);
      read += text.length;
      if (text.length > TEST_MAX_CHARS) return 'ask';
      const cues = this.neededCues();
      if (!cues) return 'read';
      if (!mayMatch(gate, text, cues)) return 'skip';
      return text.length > ASK_CHARS ? 'ask' : 'read';
    };
  }

  /** The cue gate for the cues that could still change what the page is about (null before the matcher is built). */
  private neededCues(): CueGate | null {
    const matcher = this.matcher;
    if (!matcher || !this.spec) return null;
    if (this.cueGate?.aboutSize !== this.pageAbout.size) {
      // A topic's own name stands for its terms, which the term gate looks for already when the topic is on.
      const needed = [...matcher.aboutNames].filter((name) => !this.pageAbout.has(name) && !(name.startsWith('@') && this.enabled.has(name.slice(1))));
      this.cueGate = { aboutSize: this.pageAbout.size, gate: compileCueGate(this.spec, needed) };
    }
    return this.cueGate.gate;
  }

  private abandon(): false {
    this.inOrder = false;
    return false;
  }

  /**
   * Scans a batch of segments at once, counts the page's cues, and resolves
   * each segment that holds a candidate against its own cues (a block-scope
   * rule looks at its own paragraph) and the page's.
   *
   * Scanning is cheap (under a millisecond for a full batch); resolving and
   * keeping is not: each kept mention is checked for visibility, and a batch
   * far denser with mentions than the one before it (a list of headlines
   * after pruned prose) took 42–69 ms in one go on the generated 16 MB page,
   * the collector's marking steps among it. So once the slice is spent, the
   * batch pauses between segments, as addHugeBatch does between parts. False
   * when the turn was abandoned.
   */
  private async addBatch(matcher: CompiledMatcher, batch: TextBatch, slice: Slice, pause: () => Promise<boolean>): Promise<boolean> {
    const scan = scanBlock(matcher, batch.text);
    const { candidates, cueHits } = scan;
    for (const hit of cueHits) {
      this.pageCues.add(hit.name);
      if (matcher.aboutNames.has(hit.name) && !this.pageAbout.has(hit.name)) this.noteAbout(hit.name, () => batch.blocks[segmentIndex(batch, hit.start)]!);
    }
    for (let i = 0; i < candidates.length;) {
      const s = segmentIndex(batch, candidates[i]!.start);
      const from = batch.starts[s]!;
      const to = batch.ends[s]!;
      const own: Candidate[] = [];
      for (; i < candidates.length && candidates[i]!.start < to; i++) {
        const c = candidates[i]!;
        own.push({ ...c, start: c.start - from, end: c.end - from });
      }
      const hits = hitsWithin(cueHits, from, to);
      const seg = segmentAt(batch, s);
      this.resolve(this.recordFor(seg), seg, { candidates: own, cues: new Set(hits.map((x) => x.name)), cueHits: hits }, 0);
      if (i < candidates.length && slice.spent() && !(await pause())) return false;
    }
    return true;
  }

  /**
   * The same as addBatch for a text too long to handle in one slice (a
   * single text node of megabytes): it is scanned a window at a time, each
   * window's cue hits indexed as they come, and its candidates are resolved
   * and kept a part at a time, with a pause between. False when the turn was
   * abandoned.
   */
  private async addHugeBatch(matcher: CompiledMatcher, batch: TextBatch, pause: () => Promise<boolean>): Promise<boolean> {
    // Per segment holding a candidate or a cue hit, offsets from the segment's start.
    const found = new Map<number, { candidates: Candidate[]; hits: CueHitCollector }>();
    const of = (s: number) => found.get(s) ?? found.set(s, { candidates: [], hits: new CueHitCollector() }).get(s)!;
    const text = batch.text;
    // What a window finds starting before its end is kept; what starts after, or inside what an
    // earlier window kept (the tail of a term found whole), is left to the next window or dropped.
    // (Within one window, what overlaps is all kept, as for any batch: the rules choose.)
    let reach = 0;
    let size = FIRST_BATCH_CHARS;
    for (let start = 0; start < text.length;) {
      // Cut at a space when one is near, so no window starts inside a word (a term there would
      // have no word before it to be told from); what a cut splits is found whole in the overlap.
      let end = Math.min(text.length, start + size);
      const space = end < text.length ? text.lastIndexOf(' ', end) : -1;
      if (space > start + size / 2) end = space;
      const began = performance.now();
      const scan = scanBlock(matcher, text.slice(start, Math.min(text.length, end + WINDOW_OVERLAP)));
      const reachBefore = reach;
      for (const c of scan.candidates) {
        if (start + c.start >= end || start + c.start < reachBefore) continue;
        reach = Math.max(reach, start + c.end);
        const s = segmentIndex(batch, start + c.start);
        const from = batch.starts[s]! - start;
        of(s).candidates.push({ ...c, start: c.start - from, end: c.end - from });
      }
      for (const h of scan.cueHits) {
        if (start + h.start >= end) continue;
        const s = segmentIndex(batch, start + h.start);
        const from = batch.starts[s]! - start;
        of(s).hits.add({ name: h.name, start: h.start - from, end: h.end - from });
        this.pageCues.add(h.name);
        if (matcher.aboutNames.has(h.name) && !this.pageAbout.has(h.name)) this.noteAbout(h.name, () => batch.blocks[s]!);
      }
      size = nextBatchChars(size, performance.now() - began, WINDOW);
      start = end;
      if (!(await pause())) return false;
    }
    // In document order: a page-wide pass appends its records as it goes.
    for (const s of [...found.keys()].sort((a, b) => a - b)) {
      const { candidates, hits } = found.get(s)!;
      if (!candidates.length) continue;
      const seg = segmentAt(batch, s);
      const record = this.recordFor(seg);
      // Parts of the segment's candidates, each cut where no candidate
      // overlaps the next, resolved against all of the segment's cue hits.
      for (let i = 0; i < candidates.length;) {
        const own: Candidate[] = [];
        let reach = 0;
        for (; i < candidates.length; i++) {
          const c = candidates[i]!;
          if (own.length >= HUGE_PART && c.start >= reach) break;
          own.push(c);
          reach = Math.max(reach, c.end);
        }
        this.resolve(record, seg, { candidates: own, cues: hits.cues, cueHits: hits.hits }, 0);
        if (!(await pause())) return false;
      }
    }
    return true;
  }

  /** One more sighting of a cue the page may be about; `block` says where (asked only when it matters). */
  private noteAbout(name: string, block: () => Block): void {
    const count = (this.cueCounts.get(name) ?? 0) + 1;
    this.cueCounts.set(name, count);
    if (count >= ABOUT_HITS || isHeading(block())) {
      this.pageAbout.add(name);
      this.pageCues.add(name);
    }
  }

  /** The page's title names what the page is about, like a heading. */
  private readTitle(matcher: CompiledMatcher): void {
    const title = this.doc.title.slice(0, 1000);
    if (!title) return;
    for (const hit of scanBlock(matcher, title).cueHits) {
      this.pageCues.add(hit.name);
      if (matcher.aboutNames.has(hit.name)) this.pageAbout.add(hit.name);
    }
  }

  /** Resolves a scan and keeps what passes; `before`, on a retry, holds what an earlier look accepted. */
  private resolve(record: SegmentRecord, seg: Segment, scan: BlockScan, offset: number, before?: ReadonlySet<Candidate>): void {
    const accepted = resolveBlock(scan, this.context);
    // An ambiguous term that passed its rules names its topic as surely as an
    // unambiguous one: a page that says "export controls" ten times is about them.
    for (const c of accepted) {
      const name = `@${c.topicId}`;
      if (c.ambiguous && this.matcher?.aboutNames.has(name) && !this.pageAbout.has(name)) this.noteAbout(name, () => seg.block);
    }
    const now = new Set(before);
    for (const c of accepted) {
      // A retried scan: keep only what was not accepted before (kept, or
      // counted past a cap, which a second count would count twice).
      if (now.has(c)) continue;
      now.add(c);
      this.keep(record, seg, c, offset);
    }
    if (now.size < scan.candidates.length && scan.candidates.some((c) => (c.scope === 'page' || c.about) && !now.has(c))) {
      (record.retry ??= []).push({ scan, offset, seg, accepted: now });
    }
  }

  /** The record for a segment, created (and put in document order) on first use. */
  private recordFor(seg: Segment): SegmentRecord {
    const list = this.blocks.get(seg.block);
    const first = seg.nodes[0]!;
    const existing = list?.find((s) => s.first === first);
    if (existing) return existing;
    const record: SegmentRecord = { block: seg.block, first, mentions: [] };
    if (list) list.push(record);
    else this.blocks.set(seg.block, [record]);
    return record;
  }

  private keep(record: SegmentRecord, seg: Segment, c: Candidate, offset: number): void {
    const start = c.start + offset;
    const end = c.end + offset;
    const at = locate(seg, start, end);
    // Text a reader cannot see (not rendered, transparent, clipped away like
    // screen-reader-only text) holds no mention.
    // Such text is looked at again (recheck): a page may show it later
    // with no change to its DOM that an observer sees (a class or a style:
    // a tab, an accordion, a "read more", a whole page faded in).
    for (const el of [at.startNode.parentElement, at.endNode.parentElement]) {
      if (!el || isShown(el, this.shown)) continue;
      if (this.unseen.size < MAX_UNSEEN) this.unseen.set(el, seg.block);
      else this.unseenLost = true;
      return;
    }
    if (
      record.mentions.length >= MAX_PER_BLOCK ||
      this.retained >= MAX_RETAINED ||
      at.startNode.length > MAX_NODE_CHARS ||
      at.endNode.length > MAX_NODE_CHARS
    ) {
      this.overflow[c.topicId] = (this.overflow[c.topicId] ?? 0) + 1;
      return;
    }
    const range = new StaticRange({ startContainer: at.startNode, startOffset: at.startOffset, endContainer: at.endNode, endOffset: at.endOffset });
    const mention = new Mention(this.nextId++, c.topicId, range, at.startNode, at.endNode, seg.block, seg.text, start, end);
    if (!record.mentions.length) this.insertInOrder(record);
    record.mentions.push(mention);
    this.retained++;
    this.flat = null;
    for (const node of at.startNode === at.endNode ? [at.startNode] : [at.startNode, at.endNode]) {
      const list = this.byNode.get(node);
      if (list) list.push(mention);
      else this.byNode.set(node, [mention]);
    }
  }

  /**
   * Puts a segment's record in document order. A page-wide pass meets
   * segments in order, so it simply appends. An update looks back through the
   * page from the new segment for the nearest text that starts a kept segment
   * (usually close by: the paragraph before), and only past a few thousand
   * nodes falls back to comparing positions, which on a page of a hundred
   * thousand sibling paragraphs costs milliseconds a comparison.
   */
  private insertInOrder(record: SegmentRecord): void {
    this.compactOrder();
    const order = this.order;
    const last = order[order.length - 1];
    if (this.inOrder || !last) {
      order.push(record);
      return;
    }
    const firsts = new Map<Node, SegmentRecord>();
    for (const r of order) firsts.set(r.first, r);
    const root = record.first.getRootNode();
    const walker = (record.first.ownerDocument ?? this.doc).createTreeWalker(root, NodeFilter.SHOW_TEXT);
    walker.currentNode = record.first;
    for (let n = walker.previousNode(), steps = 0; n && steps < 4000; n = walker.previousNode(), steps++) {
      const before = firsts.get(n);
      if (before) {
        order.splice(order.indexOf(before) + 1, 0, record);
        return;
      }
    }
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareNodes(order[mid]!.first, record.first) < 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, record);
  }

  /**
   * The page's cues grew: scans whose page-scope candidates were rejected get
   * another look, in slices. False when the turn was abandoned.
   */
  private async retryPageRules(epoch: number, slice: Slice): Promise<boolean> {
    for (const list of [...this.blocks.values()]) {
      for (const record of list) {
        if (!record.retry || record.dead) continue;
        const retry = record.retry;
        record.retry = undefined;
        for (const item of retry) {
          this.resolve(record, item.seg, item.scan, item.offset, item.accepted);
          if (slice.spent()) {
            await slice.maybeYield();
            if (epoch !== this.epoch || !this.matcher) return this.abandon();
          }
        }
      }
    }
    return true;
  }

  // ── Forgetting ──────────────────────────────────────────────────────────

  /** Forgets the blocks at and under `root`, open shadow roots included. */
  private forgetUnder(root: Node): void {
    this.forgetBlock(root as Block);
    const elements = root.nodeType === 1 ? (root as Element).getElementsByTagName('*') : (root as ParentNode).querySelectorAll('*');
    // By index, not with an iterator: Firefox wraps page objects for content scripts, and not every iterator survives the wrapping.
    for (let i = 0; i < elements.length; i++) {
      const el = elements[i]!;
      if (this.blocks.has(el)) this.forgetBlock(el);
      if (el.shadowRoot) this.forgetUnder(el.shadowRoot);
    }
  }

  private forgetBlock(block: Block): void {
    const list = this.blocks.get(block);
    if (!list) return;
    this.blocks.delete(block);
    for (const record of list) {
      this.unkeep(record);
      record.dead = true;
      this.orderDirty = true;
    }
  }

  /** Takes a record's mentions off the page and out of the indexes. */
  private unkeep(record: SegmentRecord): void {
    if (!record.mentions.length) return;
    for (const m of record.mentions) {
      if (this.painted.delete(m)) this.painter.remove(m.topicId, m.range);
      for (const node of m.startNode === m.endNode ? [m.startNode] : [m.startNode, m.endNode]) {
        const list = this.byNode.get(node)?.filter((x) => x !== m);
        if (list?.length) this.byNode.set(node, list);
        else this.byNode.delete(node);
      }
    }
    this.retained -= record.mentions.length;
    record.mentions = [];
    this.orderDirty = true;
    this.flat = null;
  }

  private compactOrder(): void {
    if (!this.orderDirty) return;
    this.order = this.order.filter((s) => !s.dead && s.mentions.length > 0);
    this.orderDirty = false;
  }

  /**
   * Forgets every mention. A page-wide pass (`keep`) leaves the highlights
   * of topics still on where they are until it paints its own (`dropOld`),
   * so they do not blink off while it reads the page.
   */
  private forgetAll(keep?: boolean): void {
    // (remove returns nothing: what it takes off is not kept)
    this.old = [...this.old, ...this.painted].filter((m) => (keep && this.enabled.has(m.topicId)) || this.painter.remove(m.topicId, m.range));
    this.painted.clear();
    this.blocks.clear();
    this.order = [];
    this.orderDirty = false;
    this.flat = null;
    this.byNode.clear();
    this.pageCues.clear();
    this.pageAbout.clear();
    this.unseen.clear();
    this.unseenLost = false;
    this.cueGate = null;
    this.cueCounts.clear();
    this.overflow = {};
    this.retained = 0;
  }

  // ── Painting ────────────────────────────────────────────────────────────

  /**
   * Paints the kept mentions: all of them up to MAX_PAINTED; past that, the
   * MAX_PAINTED nearest the reader's place in the page, so a capped page is
   * still marked where it is being read. Call again after scrolling.
   */
  async paint(epoch = this.epoch, turn?: Slice): Promise<void> {
    const all = this.mentions();
    let from = 0;
    let to = all.length;
    if (all.length > MAX_PAINTED) {
      const centre = this.readerIndex(all);
      from = Math.max(0, Math.min(centre - MAX_PAINTED / 2, all.length - MAX_PAINTED));
      to = from + MAX_PAINTED;
    }
    const wanted = new Set(all.slice(from, to));
    const slice = turn ?? new Slice();
    let n = 0;
    // The page sees the pass's changes at once, at its end (Painter.hold).
    this.painter.hold();
    try {
      for (const m of this.painted) {
        if (wanted.has(m)) continue;
        this.painted.delete(m);
        this.painter.remove(m.topicId, m.range);
      }
      for (const m of wanted) {
        if (this.painted.has(m)) continue;
        this.painted.add(m);
        this.painter.add(m.topicId, m.range);
        // A painted range's section is looked up in the DOM (Painter.add): on a
        // huge page 256 of them took 41 ms, so the budget is asked every 32.
        if ((++n & 31) === 0) {
          await slice.maybeYield();
          if (epoch !== this.epoch) return;
        }
      }
      this.dropOld();
    } finally {
      // After removals and adds, so a section's first goes to its next painted mention.
      this.painter.emphasize([...wanted].filter((m) => this.painted.has(m)));
      this.painter.release();
      if (!turn) slice.end();
    }
  }

  private dropOld(): void {
    for (const m of this.old.splice(0)) this.painter.remove(m.topicId, m.range);
  }

  /**
   * Index in `all` of the first mention at or below the middle of the
   * viewport. By geometry: a binary search on the mentions' boxes (document
   * order runs down the page in all but unusual layouts, and a window of
   * thousands does not need better), which reads layout but never walks the
   * DOM comparing positions.
   */
  private readerIndex(all: Mention[]): number {
    const view = this.doc.defaultView;
    if (!view || !all.length) return 0;
    const middle = view.innerHeight / 2;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const box = rangeRect(all[mid]!.range);
      // A mention whose text left the page counts as above, so the search moves on.
      if (!box || box.bottom < middle) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ── Observing ───────────────────────────────────────────────────────────

  private observe(root: Node): void {
    if (this.observed.has(root)) return;
    this.observer ??= new MutationObserver((records) => this.onMutations(records));
    this.observed.add(root);
    // And the attributes that decide what is read or shown: those the walk skips on (hidden,
    // aria-hidden, contenteditable, the opt-outs), and `open` (a details or dialog element). A page
    // behind a consent dialog that hid itself with aria-hidden is read when the dialog goes; text made
    // editable is let go; what opens is read at once, not at the next look (recheck).
    this.observer.observe(root, { childList: true, characterData: true, subtree: true, attributeFilter: [...SKIP_ATTRIBUTE_NAMES, 'open'] });
  }

  /** Never works inside the observer callback: maps records to blocks, queues them, and lets the loop run. */
  private onMutations(records: MutationRecord[]): void {
    let touched = 0;
    let newRoot = false;
    for (const r of records) {
      const target = r.target;
      if (target === this.doc) {
        // The document's own children: a new root element is a new page to read; a comment is nothing.
        for (const node of r.removedNodes) if (node.nodeType === 1) this.pendingRemoved.push(node as Element);
        for (const node of r.addedNodes) if (node.nodeType === 1) newRoot = this.pendingFull = true;
        continue;
      }
      if (target.nodeName === 'HEAD' || this.isOwnUi(target)) continue;
      touched += r.addedNodes.length + r.removedNodes.length + 1;
      const block = target instanceof ShadowRoot ? target : blockOf(target);
      if (!block) continue;
      if (r.type !== 'childList') {
        // Text changed, or an attribute that decides what is read or shown: the block is read again.
        // Now skipped, what was read under it goes.
        if (r.type === 'attributes' && isSkipped(target as Element)) this.pendingRemoved.push(target as Element);
        this.pendingRoots.add(block);
        continue;
      }
      // Text or inline content changing changes the block's own text; so does a
      // block element coming or going inside a block that has text of its own.
      const ownText = this.blocks.has(block);
      let whole = false;
      for (const node of r.removedNodes) {
        if (node.nodeType === 1) this.pendingRemoved.push(node as Element);
        if (node.nodeType !== 1 || isInline(node as Element) || ownText) whole = true;
      }
      for (const node of r.addedNodes) {
        if (node.nodeType === 1 && !isInline(node as Element) && !ownText) {
          if (!this.isOwnUi(node)) this.pendingRoots.add(node);
        } else if (node.nodeType === 1 || node.nodeType === 3) whole = true;
      }
      if (whole) this.pendingRoots.add(block);
    }
    if (touched > MAX_BATCH) this.pendingFull = true;
    if (newRoot) this.options.onNewRoot?.();
    if (this.pendingFull || this.pendingRoots.size || this.pendingRemoved.length) void this.kick();
  }
}

/** The cue hits starting in [from, to), with offsets from `from` (one segment's hits out of its batch's). */
function hitsWithin(cueHits: readonly CueHit[], from: number, to: number): CueHit[] {
  const hits: CueHit[] = [];
  for (let h = firstHitFrom(cueHits, from); h < cueHits.length && cueHits[h]!.start < to; h++) {
    const hit = cueHits[h]!;
    hits.push({ name: hit.name, start: hit.start - from, end: hit.end - from });
  }
  return hits;
}

/** Index of the first cue hit starting at or after `offset` (hits are in order). */
function firstHitFrom(hits: readonly CueHit[], offset: number): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A heading of the first three levels: what it names, the page (or its section) is about. */
function isHeading(block: Block): boolean {
  if (block.nodeType !== 1) return false;
  const name = (block as Element).localName;
  return name === 'h1' || name === 'h2' || name === 'h3';
}

/** The roots not inside another root of the list (flat tree: a shadow root is inside its host). */
function topmost(nodes: Node[]): Node[] {
  const set = new Set(nodes);
  return nodes.filter((node) => {
    for (let up = parentInFlatTree(node); up; up = parentInFlatTree(up)) if (set.has(up)) return false;
    return true;
  });
}

function parentInFlatTree(node: Node): Node | null {
  return node instanceof ShadowRoot ? node.host : node.parentNode;
}
