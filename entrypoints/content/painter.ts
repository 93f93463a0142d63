/**
 * Painting with the CSS Custom Highlight API: one `Highlight` per topic,
 * styled by a stylesheet we build here and adopt into the document (and into
 * open shadow roots, where `::highlight()` rules are scoped). No element of
 * the page is touched.
 *
 * The registry and adopted sheets are shared with the page, so a page can see
 * that some highlights exist and which text they cover (docs/architecture.md,
 * "Threat model"). Their names carry nothing a page can read: each is a hash
 * of a seed the page does not know (the extension's base URL, which holds a
 * random per-install id in Firefox), this document's time origin and the
 * topic. They differ on every page load, so they identify no one across
 * sites; yet a newer instance of this script in the same document (Firefox
 * injects one after an extension update, without letting the old one clean
 * up) derives the same names and takes the old highlights over.
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
import { derivedName, randomName } from '@/lib/names';
import type { HighlightStyle } from '@/lib/settings';
import { topicColour } from '@/lib/theme';

interface Entry {
  name: string;
  highlight: Highlight;
  /** The ranges we put in, so anything else in the highlight is known to be foreign. */
  ranges: Set<AbstractRange>;
  /** How many of `ranges` (in order) the last repair got through without finding a swap. */
  checked?: number;
}

/**
 * The look of one highlight, strong (a first mention, or every mention when
 * the reader asked) or faint (a repeat). Never a solid underline, which reads
 * as a link: a dotted underline over a faint tint, or a soft tint alone.
 */
export function highlightRule(name: string, colour: string, style: HighlightStyle, strength: 'strong' | 'faint' = 'strong', scope = ''): string {
  if (style === 'background') {
    return `${scope}::highlight(${name}) { background-color: color-mix(in srgb, ${colour} ${strength === 'strong' ? 26 : 10}%, transparent); }`;
  }
  return strength === 'strong'
    ? `${scope}::highlight(${name}) { background-color: color-mix(in srgb, ${colour} 9%, transparent); text-decoration: underline dotted 2px ${colour}; text-underline-offset: 3px; }`
    : `${scope}::highlight(${name}) { text-decoration: underline dotted 1px color-mix(in srgb, ${colour} 65%, transparent); text-underline-offset: 3px; }`;
}

/**
 * Does a highlight's look pass from an element to the text of its
 * descendants? In Chromium it does (highlight inheritance), so our rules can
 * be written for the root element alone: `:root::highlight(x)`. Written for
 * every element (`::highlight(x)`, which the browser must consider for each
 * one), they slowed every later restyle of the page's own: on the generated
 * 4 MB page with our 6,800 highlights in, a full restyle took 790 ms, against
 * 540 ms with rules for the root and 351 ms without the extension (medians of
 * 12). The look also reaches text in shadow roots, through their hosts.
 * Firefox draws a highlight only with a rule matching the text's own
 * element, and its restyles showed no such slowdown (about 320 ms before and
 * after), so there the rules stay universal and each open shadow root adopts
 * them.
 */
export const HIGHLIGHTS_INHERIT = !import.meta.env.FIREFOX;

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

/** Does range `a` start before range `b` in document order? */
function startsBefore(a: AbstractRange, b: AbstractRange): boolean {
  if (a.startContainer === b.startContainer) return a.startOffset < b.startOffset;
  return (b.startContainer.compareDocumentPosition(a.startContainer) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
}

export class Painter {
  private readonly entries = new Map<string, Entry>();
  /** Per topic: the first mention in each section, drawn over the faint full highlight. */
  private readonly emphasis = new Map<string, Entry>();
  private readonly sections = new Sections();
  /** Per topic, per section: its painted ranges, and which of them is first. */
  private readonly bySection = new Map<string, Map<Node, { ranges: Set<AbstractRange>; first: AbstractRange | null }>>();
  private readonly sectionOfRange = new WeakMap<AbstractRange, Node>();
  private markEvery = false;
  private readonly flashName: string;
  private sheet: CSSStyleSheet | null = null;
  private sheetText = '';
  private readonly styledRoots = new Set<Document | ShadowRoot>();
  /** Every topic's highlight names, known from the start so the stylesheet is written once. */
  private readonly topicNames = new Map<string, { full: string; first: string }>();

  /**
   * `seed`: secret to pages and the same for every instance of this script in
   * this document (see the module comment). A predecessor's highlights under
   * the same names are taken off at once.
   */
  constructor(
    private readonly doc: Document,
    private readonly topicOrder: readonly string[],
    private styles: Record<string, HighlightStyle>,
    private readonly seed: string = randomName(),
    private readonly inherits: boolean = HIGHLIGHTS_INHERIT,
  ) {
    this.flashName = derivedName(seed, 'flash');
    for (const topic of topicOrder) {
      const names = this.nameOf(topic);
      CSS.highlights.delete(names.full);
      CSS.highlights.delete(names.first);
    }
    CSS.highlights.delete(this.flashName);
  }

  static supported(): boolean {
    return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
  }

  setStyles(styles: Record<string, HighlightStyle>, markEvery = this.markEvery): void {
    this.styles = styles;
    this.markEvery = markEvery;
    this.restyle();
  }

  /** Rewrites the stylesheet, only if its text changed: every rewrite restyles the whole page. */
  private restyle(): void {
    if (!this.sheet) return;
    const css = this.css();
    if (css === this.sheetText) return;
    this.sheetText = css;
    this.sheet.replaceSync(css);
  }

  add(topicId: string, range: AbstractRange): void {
    const entry = this.entry(topicId);
    entry.ranges.add(range);
    entry.highlight.add(range);
    this.addToSection(topicId, range);
  }

  remove(topicId: string, range: AbstractRange): void {
    const entry = this.entries.get(topicId);
    if (!entry) return;
    entry.ranges.delete(range);
    entry.highlight.delete(range);
    this.removeFromSection(topicId, range);
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

  private addToSection(topicId: string, range: AbstractRange): void {
    const key = this.sections.of(range.startContainer);
    this.sectionOfRange.set(range, key);
    let topic = this.bySection.get(topicId);
    if (!topic) this.bySection.set(topicId, (topic = new Map()));
    let section = topic.get(key);
    if (!section) topic.set(key, (section = { ranges: new Set(), first: null }));
    section.ranges.add(range);
    if (!section.first || startsBefore(range, section.first)) this.setFirst(topicId, section, range);
  }

  private removeFromSection(topicId: string, range: AbstractRange): void {
    const key = this.sectionOfRange.get(range);
    const topic = this.bySection.get(topicId);
    const section = key && topic?.get(key);
    if (!key || !topic || !section) return;
    section.ranges.delete(range);
    if (!section.ranges.size) topic.delete(key);
    if (section.first !== range) return;
    let next: AbstractRange | null = null;
    for (const r of section.ranges) if (!next || startsBefore(r, next)) next = r;
    this.setFirst(topicId, section, next);
  }

  private setFirst(topicId: string, section: { first: AbstractRange | null }, range: AbstractRange | null): void {
    const entry = this.emphasisEntry(topicId);
    if (section.first) {
      entry.ranges.delete(section.first);
      entry.highlight.delete(section.first);
    }
    section.first = range;
    if (range) {
      entry.ranges.add(range);
      entry.highlight.add(range);
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
    for (const entry of [...this.entries.values(), ...this.emphasis.values()]) {
      if (entry.highlight.size !== entry.ranges.size || hasForeign(entry, REPAIR_CHECKS)) {
        entry.highlight.clear();
        for (const range of entry.ranges) entry.highlight.add(range);
      }
      if (CSS.highlights.get(entry.name) !== entry.highlight) CSS.highlights.set(entry.name, entry.highlight);
    }
    for (const root of this.styledRoots) this.adopt(root);
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
    this.bySection.clear();
    for (const entry of [...this.entries.values(), ...this.emphasis.values()]) {
      entry.highlight.clear();
      if (CSS.highlights.get(entry.name) === entry.highlight) CSS.highlights.delete(entry.name);
    }
    this.entries.clear();
    this.emphasis.clear();
    CSS.highlights.delete(this.flashName);
    for (const root of this.styledRoots) {
      try {
        if (this.sheet) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== this.sheet);
      } catch {
        /* a page that froze adoptedStyleSheets keeps an inert sheet */
      }
    }
    this.styledRoots.clear();
  }

  private entry(topicId: string): Entry {
    let entry = this.entries.get(topicId);
    if (!entry) {
      const highlight = new Highlight();
      highlight.priority = 1;
      entry = { name: this.nameOf(topicId).full, highlight, ranges: new Set() };
      this.entries.set(topicId, entry);
      CSS.highlights.set(entry.name, highlight);
      // The first highlight on the page brings the stylesheet, written for
      // every topic at once: a page with nothing to mark never gets one, and
      // one that has gets exactly one restyle (see docs/architecture.md).
      if (!this.sheet) this.styleRoot(this.doc);
    }
    return entry;
  }

  private emphasisEntry(topicId: string): Entry {
    let entry = this.emphasis.get(topicId);
    if (!entry) {
      const highlight = new Highlight();
      highlight.priority = 2;
      entry = { name: this.nameOf(topicId).first, highlight, ranges: new Set() };
      this.emphasis.set(topicId, entry);
      CSS.highlights.set(entry.name, highlight);
    }
    return entry;
  }

  /** A topic's names: derived in the constructor for the topics it is given, or on first use for any other. */
  private nameOf(topicId: string): { full: string; first: string } {
    let names = this.topicNames.get(topicId);
    if (!names) {
      names = { full: derivedName(this.seed, `topic:${topicId}`), first: derivedName(this.seed, `first:${topicId}`) };
      this.topicNames.set(topicId, names);
      this.restyle();
    }
    return names;
  }

  private css(): string {
    const style = (topic: string) => this.styles[topic] ?? 'dotted';
    const colour = (topic: string) => topicColour(this.topicOrder, topic).mark;
    const topics = [...this.topicNames];
    const scope = this.inherits ? ':root' : '';
    const rules = topics.map(([topic, n]) => highlightRule(n.full, colour(topic), style(topic), this.markEvery ? 'strong' : 'faint', scope));
    if (!this.markEvery) rules.push(...topics.map(([topic, n]) => highlightRule(n.first, colour(topic), style(topic), 'strong', scope)));
    rules.push(`${scope}::highlight(${this.flashName}) { background-color: rgba(255, 196, 0, 0.55); color: #000; }`);
    // Forced colours: every mention dotted in the text colour; first mentions (or all, when asked) also in Mark.
    const strong = topics.map(([, n]) => (this.markEvery ? n.full : n.first));
    rules.push(
      `@media (forced-colors: active) { ${topics.map(([, n]) => `${scope}::highlight(${n.full}) { text-decoration: underline dotted 2px CanvasText; }`).join(' ')} ${strong.map((name) => `${scope}::highlight(${name}) { background-color: Mark; color: MarkText; }`).join(' ')} }`,
    );
    return rules.join('\n');
  }

  private adopt(root: Document | ShadowRoot): void {
    try {
      const view = (root instanceof Document ? root : root.ownerDocument).defaultView;
      if (!view) return;
      if (!this.sheet) {
        this.sheet = new view.CSSStyleSheet();
        this.sheetText = this.css();
        this.sheet.replaceSync(this.sheetText);
      }
      if (!root.adoptedStyleSheets.includes(this.sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
    } catch {
      // Some pages freeze adoptedStyleSheets; their text stays unstyled but hover still works.
    }
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
