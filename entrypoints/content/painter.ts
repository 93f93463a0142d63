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
 */
import { derivedName, randomName } from '@/lib/names';
import type { HighlightStyle } from '@/lib/settings';
import { topicColour } from '@/lib/theme';

interface Entry {
  name: string;
  highlight: Highlight;
  /** The ranges we put in, so anything else in the highlight is known to be foreign. */
  ranges: Set<AbstractRange>;
}

/** The look of one highlight. Never a solid underline: that reads as a link. */
export function highlightRule(name: string, colour: string, style: HighlightStyle): string {
  switch (style) {
    case 'background':
      return `::highlight(${name}) { background-color: color-mix(in srgb, ${colour} 22%, transparent); }`;
    case 'dotted':
    case 'underline':
    default:
      return `::highlight(${name}) { text-decoration: underline dotted 2px ${colour}; text-underline-offset: 3px; }`;
  }
}

export class Painter {
  private readonly entries = new Map<string, Entry>();
  private readonly flashName: string;
  private sheet: CSSStyleSheet | null = null;
  private readonly styledRoots = new Set<Document | ShadowRoot>();

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
  ) {
    this.flashName = derivedName(seed, 'flash');
    for (const topic of topicOrder) CSS.highlights.delete(derivedName(seed, `topic:${topic}`));
    CSS.highlights.delete(this.flashName);
  }

  static supported(): boolean {
    return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
  }

  setStyles(styles: Record<string, HighlightStyle>): void {
    this.styles = styles;
    this.sheet?.replaceSync(this.css());
  }

  add(topicId: string, range: AbstractRange): void {
    const entry = this.entry(topicId);
    entry.ranges.add(range);
    entry.highlight.add(range);
  }

  remove(topicId: string, range: AbstractRange): void {
    const entry = this.entries.get(topicId);
    if (!entry) return;
    entry.ranges.delete(range);
    entry.highlight.delete(range);
  }

  /** Is this range one we painted (and not one a page slipped into our highlight)? */
  owns(range: AbstractRange): boolean {
    for (const entry of this.entries.values()) if (entry.ranges.has(range)) return true;
    return false;
  }

  /** A brief extra mark on a mention the reader jumped to. */
  flash(range: AbstractRange, ms: number, setTimer: (fn: () => void, ms: number) => void): void {
    const h = new Highlight(range);
    h.priority = 2;
    CSS.highlights.set(this.flashName, h);
    setTimer(() => {
      if (CSS.highlights.get(this.flashName) === h) CSS.highlights.delete(this.flashName);
    }, ms);
  }

  /** Adopts our stylesheet into a document or shadow root, so `::highlight()` applies there. */
  styleRoot(root: Document | ShadowRoot): void {
    this.styledRoots.add(root);
    this.adopt(root);
  }

  /**
   * Puts back what a page took or changed: registry entries it deleted or
   * replaced, ranges it added to our highlights or swapped for ours, our
   * stylesheet if it was dropped. A size check first; when the sizes agree,
   * one pass over the highlight (at most MAX_PAINTED ranges, well under a
   * millisecond) finds a swap, which keeps the size.
   */
  repair(): void {
    for (const entry of this.entries.values()) {
      if (entry.highlight.size !== entry.ranges.size || hasForeign(entry)) {
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

  destroy(): void {
    for (const entry of this.entries.values()) {
      entry.highlight.clear();
      if (CSS.highlights.get(entry.name) === entry.highlight) CSS.highlights.delete(entry.name);
    }
    this.entries.clear();
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
      entry = { name: derivedName(this.seed, `topic:${topicId}`), highlight, ranges: new Set() };
      this.entries.set(topicId, entry);
      CSS.highlights.set(entry.name, highlight);
      this.sheet?.replaceSync(this.css());
      if (!this.sheet) this.styleRoot(this.doc);
    }
    return entry;
  }

  private css(): string {
    const rules = [...this.entries].map(([topic, e]) => highlightRule(e.name, topicColour(this.topicOrder, topic).mark, this.styles[topic] ?? 'dotted'));
    rules.push(`::highlight(${this.flashName}) { background-color: rgba(255, 196, 0, 0.55); color: #000; }`);
    rules.push(
      `@media (forced-colors: active) { ${[...this.entries.values()].map((e) => `::highlight(${e.name}) { background-color: Mark; color: MarkText; text-decoration: underline 2px CanvasText; }`).join(' ')} }`,
    );
    return rules.join('\n');
  }

  private adopt(root: Document | ShadowRoot): void {
    try {
      const view = (root instanceof Document ? root : root.ownerDocument).defaultView;
      if (!view) return;
      if (!this.sheet) {
        this.sheet = new view.CSSStyleSheet();
        this.sheet.replaceSync(this.css());
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
function hasForeign(entry: Entry): boolean {
  for (const range of entry.ranges) if (!entry.highlight.has(range)) return true;
  return false;
}
