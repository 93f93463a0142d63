/**
 * Painting with the CSS Custom Highlight API: one `Highlight` per topic,
 * styled by a stylesheet we build here and adopt into the document (and, in
 * Firefox, into open shadow roots, where `::highlight()` rules are scoped).
 * No element of the page is touched.
 *
 * The stylesheet never changes with the settings. It holds a rule for every
 * look (dotted or tinted, strong or faint) in every topic colour, each under
 * its own name, and a highlight shows a look by being registered under that
 * look's name: a style setting moves a highlight to another name. This is
 * because rules for `::highlight()` arriving in a page make the browser
 * restyle every element, which takes seconds on a very large page; a sheet
 * that needs nothing from the settings can be in place at `document_start`
 * (entrypoints/sheet.ts), before the page has elements, and never be written
 * again.
 *
 * The registry and adopted sheets are shared with the page, so a page can see
 * that some highlights exist and which text they cover (docs/architecture.md,
 * "Threat model"). Their names carry nothing a page can read: they are
 * spelled out from one hash of a seed the page does not know (the
 * extension's base URL, which holds a random per-install id in Firefox) and
 * this document's time origin, one per colour slot and look (sheet.ts,
 * `lookName`). They differ on every page load, so they
 * identify no one across sites; yet a newer instance of this script in the
 * same document (Firefox injects one after an extension update, without
 * letting the old one clean up) derives the same names and takes the old
 * highlights over.
 *
 * A page can also tamper: clear the registry, swap our entries, add its own
 * ranges to our highlights, or drop our stylesheet. `repair()` undoes all of
 * that; hit-testing only ever trusts ranges we made.
 *
 * Calm by default: every mention is in its topic's highlight, drawn faintly,
 * and the first mention of each topic in each section (heading to heading)
 * is also in an emphasis highlight drawn over it, so a page reads like one
 * that links a term once, not every time. Hover and the keyboard still reach
 * every mention (they use the full highlight). With "mark every mention" on,
 * the full highlight is drawn strongly and the emphasis adds nothing.
 */
import { randomName } from '@/lib/names';
import type { HighlightStyle } from '@/lib/settings';
import { TOPIC_PALETTE } from '@/lib/theme';
import { adoptEarly, adoptInto, dropFrom, flashName, highlightsSupported, HIGHLIGHTS_INHERIT, lookName, LOOKS, makeSheet, sheetText } from './sheet';

export { highlightRule, HIGHLIGHTS_INHERIT } from './sheet';

/**
 * Whether a paint pass holds its changes to the registered highlights until
 * its end (see `Painter.hold`). In Chromium every change to a registered
 * highlight costs a frame that walks the whole document, so one burst beats
 * one change per slice. Firefox is the other way round: a change to a
 * registered highlight costs more the more ranges it holds (measured in
 * Firefox 153 on the generated 4 MB page: 6,800 ranges added one by one to a
 * registered highlight took 3.0 s, a delete and add of 32 ranges on it 28 ms,
 * while the same adds to an unregistered one took 2–4 ms). A burst at the end
 * made one slice of 167–173 ms there, so in Firefox the changes go through as
 * they are made, spread over the pass's slices.
 */
export const HOLD_CHANGES = !import.meta.env.FIREFOX;

interface Entry {
  /** The name it is registered under: its look's, in its topic's colour. */
  name: string;
  highlight: Highlight;
  /** The ranges we put in, so anything else in the highlight is known to be foreign. */
  ranges: Set<AbstractRange>;
  /** How many of `ranges` (in order) the last repair got through without finding a swap. */
  checked?: number;
}

const HEADING = /^h[1-6]$/;

function isHeading(el: Element): boolean {
  return HEADING.test(el.localName) || el.getAttribute('role') === 'heading';
}

/**
 * Which section (heading to heading) a node is in: the nearest heading before
 * it in document order (inside an open shadow root, before its host), or its
 * document. Every element a walk passes is remembered, so walks made in
 * document order touch each element about once. The answer is a snapshot: a
 * heading added later regroups mentions painted after it, not before.
 */
export class Sections {
  private readonly known = new WeakMap<Element, Node>();

  of(node: Node): Node {
    const start = node instanceof Element ? node : node.parentElement;
    if (!start) return node.getRootNode() instanceof ShadowRoot ? this.of((node.getRootNode() as ShadowRoot).host) : (node.ownerDocument ?? node);
    const passed: Element[] = [];
    let key: Node | null = null;
    let cur: Element | null = start;
    while (cur && !key) {
      const known = this.known.get(cur);
      if (known) {
        key = known;
        break;
      }
      if (isHeading(cur)) {
        key = cur;
        break;
      }
      passed.push(cur);
      for (let sib = cur.previousElementSibling; sib && !key; sib = sib.previousElementSibling) {
        if (isHeading(sib)) key = sib;
        else if (sib.firstElementChild && sib.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]')) {
          const inner = sib.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]');
          key = inner[inner.length - 1] ?? null;
        } else {
          const seen = this.known.get(sib);
          if (seen) key = seen;
          else passed.push(sib);
        }
      }
      if (key) break;
      const parent: Element | null = cur.parentElement;
      if (parent) cur = parent;
      else {
        const root = cur.getRootNode();
        if (root instanceof ShadowRoot) cur = root.host;
        else key = root;
      }
    }
    const found = key ?? start.ownerDocument;
    for (const el of passed) this.known.set(el, found);
    return found;
  }
}

export class Painter {
  private readonly entries = new Map<string, Entry>();
  /** Per topic: the first mention in each section, drawn over the faint full highlight. */
  private readonly emphasis = new Map<string, Entry>();
  private readonly sections = new Sections();
  private readonly sectionOfRange = new WeakMap<AbstractRange, Node>();
  private markEvery = false;
  private readonly flashName: string;
  private sheet: CSSStyleSheet | null = null;
  /** Colour slots the sheet's text was built for: the text is a function of the seed and this alone. */
  private sheetSlots = 0;
  /**
   * Changes to registered highlights held back while a paint pass runs in
   * slices (`hold`), in order, per highlight. Every change to a registered
   * highlight makes Chromium revalidate all highlight markers and walk the
   * whole document before the next paint: on the generated 16 MB page each
   * such frame took 200–460 ms with our dotted look (90–180 ms with a tint
   * alone), whatever the change. Held, a pass of thousands of ranges costs
   * the page one such frame instead of one per slice.
   */
  private held: Map<Highlight, { range: AbstractRange; add: boolean }[]> | null = null;
  /** Whether `hold` holds anything (HOLD_CHANGES, unless a test says otherwise). */
  private readonly holds: boolean;
  private readonly styledRoots = new Set<Document | ShadowRoot>();
  /** Each topic's colour slot: its place in the topic order, or the next one past it for a topic not in the order. */
  private readonly slots = new Map<string, number>();
  private readonly inherits: boolean;

  /**
   * `seed`: secret to pages and the same for every instance of this script in
   * this document (see the module comment). A predecessor's highlights under
   * the same names are taken off at once. `sheet`: the one `adoptEarly`
   * put in place with the same seed, taken over as this painter's own.
   */
  constructor(
    private readonly doc: Document,
    topicOrder: readonly string[],
    private styles: Record<string, HighlightStyle>,
    private readonly seed: string = randomName(),
    opts: { inherits?: boolean; sheet?: CSSStyleSheet | null; holdChanges?: boolean } = {},
  ) {
    this.inherits = opts.inherits ?? HIGHLIGHTS_INHERIT;
    this.holds = opts.holdChanges ?? HOLD_CHANGES;
    this.flashName = flashName(seed);
    topicOrder.forEach((topic, slot) => this.slots.set(topic, slot));
    for (let slot = 0; slot < this.slotCount(); slot++) for (const look of LOOKS) CSS.highlights.delete(lookName(seed, slot, look));
    CSS.highlights.delete(this.flashName);
    if (opts.sheet) {
      this.sheet = opts.sheet;
      this.sheetSlots = TOPIC_PALETTE.length;
      this.styledRoots.add(doc);
      this.restyle();
    }
  }

  /**
   * Puts the stylesheet for the palette's colours into `doc` now. Called at
   * `document_start`, before the page has elements, it costs the page no
   * restyle; a painter made later with the same seed takes it over.
   */
  static adoptEarly(doc: Document, seed: string, inherits = HIGHLIGHTS_INHERIT): CSSStyleSheet | null {
    return adoptEarly(doc, seed, inherits);
  }

  /** Takes a sheet from `adoptEarly` out again (a page that opted out, a script that will not run). */
  static dropEarly(doc: Document, sheet: CSSStyleSheet | null): void {
    if (sheet) dropFrom(doc, sheet);
  }

  static supported(): boolean {
    return highlightsSupported();
  }

  /** A new look: each highlight moves to the name of its look, and the stylesheet is left as it is. */
  setStyles(styles: Record<string, HighlightStyle>, markEvery = this.markEvery): void {
    this.styles = styles;
    this.markEvery = markEvery;
    for (const [topic, entry] of this.entries) this.rename(entry, this.fullName(topic));
    for (const [topic, entry] of this.emphasis) this.rename(entry, this.firstName(topic));
  }

  private rename(entry: Entry, name: string): void {
    if (entry.name === name) return;
    if (CSS.highlights.get(entry.name) === entry.highlight) CSS.highlights.delete(entry.name);
    entry.name = name;
    CSS.highlights.set(name, entry.highlight);
  }

  private fullName(topic: string): string {
    return lookName(this.seed, this.slotOf(topic), `${this.styles[topic] ?? 'dotted'}-${this.markEvery ? 'strong' : 'faint'}`);
  }

  /** First mentions: strong, or (when every mention is strong already) a name with no rule. */
  private firstName(topic: string): string {
    return lookName(this.seed, this.slotOf(topic), this.markEvery ? 'quiet' : `${this.styles[topic] ?? 'dotted'}-strong`);
  }

  private slotOf(topic: string): number {
    let slot = this.slots.get(topic);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(topic, slot);
      this.restyle();
    }
    return slot;
  }

  /** Colour slots the stylesheet covers: at least the palette, more for a dataset with more topics. */
  private slotCount(): number {
    return Math.max(TOPIC_PALETTE.length, this.slots.size);
  }

  /** Rewrites the stylesheet, only when it needs more colour slots (a topic past the palette): every rewrite restyles the whole page. */
  private restyle(): void {
    if (!this.sheet || this.slotCount() === this.sheetSlots) return;
    this.sheetSlots = this.slotCount();
    this.sheet.replaceSync(this.css());
  }

  add(topicId: string, range: AbstractRange): void {
    const entry = this.entry(topicId);
    // The first highlight brings the stylesheet, unless it is in place already.
    if (!this.styledRoots.has(this.doc)) this.styleRoot(this.doc);
    entry.ranges.add(range);
    this.put(entry.highlight, range, true);
    // Looked up now, in the pass's slices; `emphasize` only reads it.
    if (!this.sectionOfRange.has(range)) this.sectionOfRange.set(range, this.sections.of(range.startContainer));
  }

  remove(topicId: string, range: AbstractRange): void {
    const entry = this.entries.get(topicId);
    if (!entry) return;
    entry.ranges.delete(range);
    this.put(entry.highlight, range, false);
    const emphasis = this.emphasis.get(topicId);
    if (emphasis?.ranges.delete(range)) this.put(emphasis.highlight, range, false);
  }

  /**
   * Holds changes to the registered highlights until `release`, for a paint
   * pass that yields between slices; `owns` and the painted ranges are
   * up to date meanwhile. Does nothing where holding does not
   * pay (HOLD_CHANGES).
   */
  hold(): void {
    if (this.holds) this.held ??= new Map();
  }

  /** Applies the held changes, all in one task, so the page repaints once. */
  release(): void {
    const held = this.held;
    this.held = null;
    if (!held) return;
    for (const [highlight, changes] of held) {
      for (const { range, add } of changes) {
        if (add) highlight.add(range);
        else highlight.delete(range);
      }
    }
  }

  private put(highlight: Highlight, range: AbstractRange, add: boolean): void {
    if (this.held) {
      let changes = this.held.get(highlight);
      if (!changes) this.held.set(highlight, (changes = []));
      changes.push({ range, add });
    } else if (add) highlight.add(range);
    else highlight.delete(range);
  }

  /** Is this range one we painted (and not one a page slipped into our highlight)? */
  owns(range: AbstractRange): boolean {
    for (const entry of this.entries.values()) if (entry.ranges.has(range)) return true;
    return false;
  }

  /** Is this painted range drawn as its section's first mention of its topic? */
  isFirst(topicId: string, range: AbstractRange): boolean {
    return this.emphasis.get(topicId)?.ranges.has(range) ?? false;
  }

  /**
   * Draws the first painted mention of each topic in each section over the
   * faint highlight. `painted`: every painted range, in document order (the
   * scanner's order, so no two positions are compared in the DOM: on a page
   * without headings, where one section holds thousands of ranges, comparing
   * each with its section's first made painting quadratic).
   */
  emphasize(painted: Iterable<{ readonly topicId: string; readonly range: AbstractRange }>): void {
    // Per topic, per section: its first range. Topics drawn before start empty, so what they lost is taken off.
    const firsts = new Map<string, Map<Node, AbstractRange>>([...this.emphasis.keys()].map((topicId) => [topicId, new Map()]));
    for (const { topicId, range } of painted) {
      let sections = firsts.get(topicId);
      if (!sections) firsts.set(topicId, (sections = new Map()));
      const key = this.sectionOfRange.get(range)!;
      if (!sections.has(key)) sections.set(key, range);
    }
    for (const [topicId, sections] of firsts) {
      const ranges = new Set(sections.values());
      const entry = this.emphasisEntry(topicId);
      for (const range of entry.ranges) if (!ranges.has(range) && entry.ranges.delete(range)) this.put(entry.highlight, range, false);
      for (const range of ranges) if (!entry.ranges.has(range) && entry.ranges.add(range)) this.put(entry.highlight, range, true);
    }
  }

  /** A brief extra mark on a mention the reader jumped to. */
  flash(range: AbstractRange, ms: number, setTimer: (fn: () => void, ms: number) => void): void {
    const h = new Highlight(range);
    h.priority = 3;
    CSS.highlights.set(this.flashName, h);
    setTimer(() => {
      if (CSS.highlights.get(this.flashName) === h) CSS.highlights.delete(this.flashName);
    }, ms);
  }

  /**
   * Adopts our stylesheet into a document or shadow root, so `::highlight()`
   * applies there. Where highlights inherit, the document's sheet reaches
   * shadow roots already, and a shadow root is left alone.
   */
  styleRoot(root: Document | ShadowRoot): void {
    if (this.inherits && root !== this.doc) return;
    this.styledRoots.add(root);
    this.adopt(root);
  }

  /**
   * Puts back what a page took or changed: registry entries it deleted or
   * replaced, ranges it added to our highlights or swapped for ours, our
   * stylesheet if it was dropped. A size check first; when the sizes agree,
   * a swap (which keeps the size) is looked for among the next
   * REPAIR_CHECKS of our ranges, so a highlight of thousands is gone through
   * over a few calls (one a second) rather than all at once: on the 16 MB
   * page a full pass over 6,800 ranges took 16 ms.
   */
  repair(): void {
    // Mid-pass, the highlights lag our ranges on purpose; the pass ends with a release.
    if (this.held) return;
    for (const entry of [...this.entries.values(), ...this.emphasis.values()]) {
      if (entry.highlight.size !== entry.ranges.size || hasForeign(entry, REPAIR_CHECKS)) {
        entry.highlight.clear();
        for (const range of entry.ranges) entry.highlight.add(range);
      }
      if (CSS.highlights.get(entry.name) !== entry.highlight) CSS.highlights.set(entry.name, entry.highlight);
    }
    for (const root of this.styledRoots) this.adopt(root);
  }

  /** Takes the stylesheet out of every root until something is painted again (the reader turned the site off). */
  unstyle(): void {
    if (this.sheet) for (const root of this.styledRoots) dropFrom(root, this.sheet);
    this.styledRoots.clear();
  }

  /** Our highlight names by topic (the e2e build's probe reports them to tests). */
  names(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([topic, e]) => [topic, e.name]));
  }

  /** The emphasis highlights' names by topic (first mentions per section; for tests). */
  emphasisNames(): Record<string, string> {
    return Object.fromEntries([...this.emphasis].map(([topic, e]) => [topic, e.name]));
  }

  destroy(): void {
    this.held = null;
    for (const entry of [...this.entries.values(), ...this.emphasis.values()]) {
      entry.highlight.clear();
      if (CSS.highlights.get(entry.name) === entry.highlight) CSS.highlights.delete(entry.name);
    }
    this.entries.clear();
    this.emphasis.clear();
    CSS.highlights.delete(this.flashName);
    this.unstyle();
  }

  private entry(topicId: string): Entry {
    let entry = this.entries.get(topicId);
    if (!entry) {
      const highlight = new Highlight();
      highlight.priority = 1;
      entry = { name: this.fullName(topicId), highlight, ranges: new Set() };
      this.entries.set(topicId, entry);
      CSS.highlights.set(entry.name, highlight);
    }
    return entry;
  }

  private emphasisEntry(topicId: string): Entry {
    let entry = this.emphasis.get(topicId);
    if (!entry) {
      const highlight = new Highlight();
      highlight.priority = 2;
      entry = { name: this.firstName(topicId), highlight, ranges: new Set() };
      this.emphasis.set(topicId, entry);
      CSS.highlights.set(entry.name, highlight);
    }
    return entry;
  }

  private css(): string {
    return sheetText(this.seed, this.slotCount(), this.inherits);
  }

  private adopt(root: Document | ShadowRoot): void {
    if (!this.sheet) {
      this.sheetSlots = this.slotCount();
      this.sheet = makeSheet(root instanceof Document ? root : root.ownerDocument, this.css());
    }
    if (this.sheet) adoptInto(root, this.sheet);
  }
}

/**
 * Does the highlight hold a range we did not put there? (Called when the
 * sizes agree: then it does exactly when one of ours is missing.) Asks the
 * highlight about each of our ranges rather than iterating it, which a
 * Firefox content script cannot do through the page's wrapper.
 */
function hasForeign(entry: Entry, budget: number): boolean {
  const from = entry.checked ?? 0;
  let i = 0;
  for (const range of entry.ranges) {
    // Stepping over the ranges already checked costs no call into the page.
    if (i++ < from) continue;
    if (!entry.highlight.has(range)) {
      entry.checked = 0;
      return true;
    }
    if (i - from >= budget) {
      entry.checked = i;
      return false;
    }
  }
  entry.checked = 0;
  return false;
}

/** How many of a highlight's ranges one repair asks about, at most. */
export const REPAIR_CHECKS = 1000;
