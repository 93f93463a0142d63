/**
 * Text collection: turns a DOM subtree into "segments", runs of text nodes
 * that read as one piece of text. A segment may span inline elements
 * (`export <a>controls</a>`, `<b>DeepSeek</b>-R1`) but never a block boundary,
 * so a mention can never be stitched together across two paragraphs.
 *
 * Skipped, with everything inside them: scripts, styles, templates, form
 * controls, editable regions, hidden text, our own UI, and elements that opt
 * out (`data-counterpoint="off"`, Grammarly's `data-gramm="false"` convention).
 */
import { BATCH_SEPARATOR } from '@/lib/matcher';
import { isWordChar } from '@/lib/matcher/tokenize';

/**
 * What a segment is keyed by: its nearest non-inline ancestor, or the shadow
 * root itself for text placed directly in one. Mutations map back to it.
 */
export type Block = Element | ShadowRoot;

export interface Segment {
  block: Block;
  nodes: Text[];
  /** starts[i] is the offset of nodes[i] in `text`. */
  starts: number[];
  text: string;
}

/**
 * Elements whose subtrees are never read: by tag (a set lookup per element)…
 * Ruby annotations (rt, and rp, the parentheses shown without ruby support)
 * are read around, and part no segment (INLINE_TAGS): "深<rt>shēn</rt>度"
 * is the word 深度 with its reading above.
 */
const SKIP_TAGS = new Set(
  'script style noscript template head title textarea input select option button pre kbd samp svg math canvas video audio object embed iframe rt rp'.split(' '),
);
/** …and by attribute (one native match, only for elements that have attributes). */
const SKIP_ATTRIBUTES = '[contenteditable]:not([contenteditable="false" i]), [data-counterpoint="off" i], [data-gramm="false"], [hidden], [aria-hidden="true"]';
/** The attributes SKIP_ATTRIBUTES looks at (read from it, so the two never part): a change to one changes what the walk reads. */
export const SKIP_ATTRIBUTE_NAMES = [...new Set(SKIP_ATTRIBUTES.match(/(?<=\[)[a-z-]+/g))];
const SKIP_SELECTOR = `${[...SKIP_TAGS].join(', ')}, ${SKIP_ATTRIBUTES}`;

/**
 * A skipped tag, except the one <pre> a browser shows a plain-text document
 * in (a .txt press release or transcript opened in a tab): there the <pre>
 * is not a code listing but the document's whole text, read as prose.
 */
function skipsByTag(el: Element): boolean {
  return SKIP_TAGS.has(el.localName) && !isPlainTextView(el);
}

function isPlainTextView(el: Element): boolean {
  const doc = el.ownerDocument;
  return el.localName === 'pre' && el.parentElement === doc.body && doc.contentType === 'text/plain';
}
/**
 * What `walkedText` takes out: the skipped elements that hold text no reader
 * sees (scripts, styles, fallbacks), and every element with one of the
 * skipping attributes, by presence. A list of plain tags and attribute
 * presences is what querySelectorAll matches fast: the whole SKIP_SELECTOR
 * took 16 ms over the 32,758 elements of the 1 MB benchmark page in
 * Chromium, this one about 6.
 */
const TEXT_SKIP_SELECTOR = 'script, style, noscript, template, rt, rp, [contenteditable], [data-counterpoint], [data-gramm], [hidden], [aria-hidden]';

/**
 * Elements that flow inside a line of text; everything else starts a new
 * segment. Inline code in prose ("served as deepseek-chat") is read like any
 * other word; code listings sit in <pre>, which is skipped.
 */
const INLINE_TAGS = new Set(
  'a abbr b bdi bdo cite code data dfn em font i ins del label mark q s small span strong sub sup time u var wbr nobr tt big strike ruby rb rt rp'.split(' '),
);

/**
 * A root is read by the gate in one native call (walkedText) when it has at
 * most this many elements and no text node longer than LONG_TEXT outside
 * scripts and styles; a larger one through the walk's own batches, between
 * pauses (Scanner.mayHold). The native read costs about 0.3 µs a text node
 * and 3 (Chromium) to 9 (Firefox) ns a character: 1–5 ms for the 537–2,749
 * elements of the benchmark's saved news pages, but 30–34 ms in Chromium and
 * about 90 in Firefox for a page built by script of one 10 MB text node.
 * Walking every root instead cost more on ordinary pages (median 87 against
 * 72 ms of ours per page from outside, the saved pages as saved).
 */
const NATIVE_MAX_ELEMENTS = 8192;
const LONG_TEXT = 16_384;
const LONG_TEXT_XPATH = `.//text()[string-length()>${LONG_TEXT}][not(ancestor::script|ancestor::style)]`;

/**
 * Is `root` small enough to read at once? Asked natively and within bounds:
 * the element count stops at the limit, and the search for a long text costs
 * about 0.1 µs a text node. A shadow root is never (it has no
 * getElementsByTagName).
 */
export function readsAtOnce(root: Node): boolean {
  if (root.nodeType !== 1 || (root as Element).getElementsByTagName('*').item(NATIVE_MAX_ELEMENTS)) return false;
  return !root.ownerDocument!.evaluate(LONG_TEXT_XPATH, root, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
}

/**
 * The text under `root` that the walk reads, and perhaps some more, read
 * natively: the runs of text between the subtrees taken out, joined. Taken
 * out: every skipped element that could sit inside a run the walk reads as
 * one piece (only an inline element can, and those are skipped by attribute
 * alone: `Deep<span aria-hidden="true">·</span>Seek`), and the scripts,
 * styles and fallbacks whose text no one reads ("v3" in a CDN path).
 * Left in: the text of other skipped elements (a button's label, a code
 * listing). Each is a block, so its text cannot join a term's words across
 * it in the walk, and more text, or runs joined that the walk keeps apart,
 * can only make a test for terms answer "maybe" more often.
 */
export function walkedText(root: Node): string {
  if (root.nodeType === 3) return (root as Text).data;
  const found = (root as ParentNode).querySelectorAll(TEXT_SKIP_SELECTOR);
  if (!found.length) return root.textContent ?? '';
  const range = (root.ownerDocument ?? (root as Document)).createRange();
  range.selectNodeContents(root);
  const parts: string[] = [];
  let last: Element | null = null;
  for (const el of found) {
    // Found by an attribute the walk does not skip on (`contenteditable="false"`, `aria-hidden="false"`),
    // or inside one already stepped over.
    if (!isSkipped(el) || (last && last.contains(el))) continue;
    last = el;
    range.setEndBefore(el);
    parts.push(range.toString());
    range.setStartAfter(el);
  }
  range.setEnd(root, root.childNodes.length);
  parts.push(range.toString());
  return parts.join('');
}

/** True for an element whose subtree is never scanned. */
export function isSkipped(el: Element): boolean {
  return skipsByTag(el) || (el.hasAttributes() && el.matches(SKIP_ATTRIBUTES));
}

export function isInline(el: Element): boolean {
  return INLINE_TAGS.has(el.localName);
}

/**
 * The block a node's text belongs to: its nearest non-inline ancestor (an
 * element node counts for itself), or, at the top of a shadow tree, the shadow
 * root. Null for a node outside any element.
 */
export function blockOf(node: Node): Block | null {
  let el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  while (el && isInline(el)) {
    if (el.parentElement) el = el.parentElement;
    else break;
  }
  if (el && !isInline(el)) return el;
  const root = (el ?? node).getRootNode();
  return root instanceof ShadowRoot ? root : el;
}

/** Is the node inside a skipped subtree? Crosses shadow roots to their hosts. */
export function insideSkipped(node: Node): boolean {
  let el: Element | null = node.nodeType === 1 ? (node as Element) : node.parentElement;
  if (!el) {
    const root = node.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  while (el) {
    let skipped = el.closest(SKIP_SELECTOR);
    if (skipped && isPlainTextView(skipped) && !skipped.matches(SKIP_ATTRIBUTES)) skipped = skipped.parentElement!.closest(SKIP_SELECTOR);
    if (skipped) return true;
    const root = el.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

/**
 * A batch of segments, collected together so they can be scanned together:
 * their texts joined by `BATCH_SEPARATOR` (which no term can span), every
 * text node with its offset in that text, and per segment its block and
 * where it lies. A segment is materialised (`segmentAt`) only when it holds
 * something worth keeping, so the walk allocates per batch, not per node.
 */
export interface TextBatch {
  text: string;
  nodes: Text[];
  /** Offset of each node in `text`. */
  nodeStarts: number[];
  blocks: Block[];
  /** Per segment: text offsets [start, end) and nodes [firstNode, endNode). */
  starts: number[];
  ends: number[];
  firstNode: number[];
  endNode: number[];
}

/** Segment `i` of a batch, as its own piece of text. */
export function segmentAt(batch: TextBatch, i: number): Segment {
  const start = batch.starts[i]!;
  const nodes = batch.nodes.slice(batch.firstNode[i], batch.endNode[i]);
  const starts = batch.nodeStarts.slice(batch.firstNode[i], batch.endNode[i]).map((n) => n - start);
  return { block: batch.blocks[i]!, nodes, starts, text: batch.text.slice(start, batch.ends[i]) };
}

/** The segment holding text offset `offset` of a batch. */
export function segmentIndex(batch: TextBatch, offset: number): number {
  let lo = 0;
  let hi = batch.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (batch.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Asked of each block element a walk is about to enter (a pruned walk,
 * see BatchCollector): `read` walks its text as usual, and its blocks
 * without asking again; `skip` walks only its elements, for the open shadow
 * roots among them, since none of its text can matter; `ask` walks in and
 * asks the same of the blocks inside it.
 */
export type Verdict = 'read' | 'skip' | 'ask';
export type Pruner = (el: Element) => Verdict;

/**
 * Walks `root` in document order and hands out batches of segments of about
 * `maxChars` characters. Open shadow roots met on the way are reported
 * through `onShadowRoot`; `also` names more elements to leave out (our own UI).
 *
 * Built for speed, because it reads every text node of the page: no filter
 * callback (a call from native code into ours per node made walks nearly 8×
 * slower than a bare one on a 4 MB page), skipped subtrees stepped over,
 * nothing allocated per node but its place in the batch, and a plain method
 * rather than a generator, so the engine can optimise the loop while it runs
 * (this code runs once per page, cold). Visibility is not checked here: only
 * a mention's own text is, once it is found (see Scanner), since almost all
 * text holds none.
 *
 * A pruned walk (`prune`) asks a Pruner of each block before it goes in, and
 * reads only what the answer lets through: blocks whose text cannot matter
 * are visited for their elements alone, no text node of theirs is touched.
 * Each node a content script touches costs it a wrapper of its own, in a
 * table of its world's (and the garbage collector's work to drop it); a
 * paragraph of the benchmark's generated pages has about 9 elements and 24
 * nodes in all.
 */
export class BatchCollector {
  private readonly walker: TreeWalker;
  private readonly ours: Set<Element>;
  private node: Node | null;
  /** Decides, block by block, which parts of the tree are read at all (none: all are). */
  private pruner: Pruner | null = null;
  /** Inside a block the pruner let through whole: nothing is asked until the walk meets `readUntil`, the first node past it. */
  private reading = false;
  private readUntil: Node | null = null;
  /** The walk of a skipped block's elements, for its shadow roots, and the block. */
  private skip: { walk: BatchCollector; block: Element } | null = null;
  private batch = emptyBatch();
  private parts: string[] = [];
  private length = 0;
  /** Index of the open segment in the batch, or -1. */
  private open = -1;
  private openBlock: Block | null = null;
  /** Set when the walk enters a non-inline element: the next text starts a new segment. */
  private boundary = true;
  /** The text appended last, to tell glued words from words set apart. */
  private lastText: Text | null = null;
  /** Its data and parent element, read once. */
  private lastData = '';
  private appendedParent: Element | null = null;
  /** The parent of the text met last, and that parent's block. */
  private lastParent: Element | null = null;
  private lastBlock: Block | null = null;
  /** How many nodes the last call of `next` visited. */
  visited = 0;

  constructor(
    private readonly root: Node,
    private readonly onShadowRoot: (root: ShadowRoot) => void = () => undefined,
    also: Iterable<Element> = [],
    /** Where a batch ends (at the first segment boundary past it); may change between batches. */
    public maxChars = 32_768,
    /** Visit elements only, for the shadow roots among them: no text is read and no batch is made. */
    private readonly elementsOnly = false,
  ) {
    this.ours = new Set(also);
    const doc = root.ownerDocument ?? (root as Document);
    this.walker = doc.createTreeWalker(root, elementsOnly ? NodeFilter.SHOW_ELEMENT : NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    // (A walk of elements asks of each shadow root's host instead.)
    const excluded = root.nodeType === 1 && (this.ours.has(root as Element) || (!elementsOnly && insideSkipped(root)));
    this.node = excluded ? null : this.walker.nextNode();
  }

  /**
   * From here on, asks `pruner` of each block the walk meets before going
   * into it. Asking is never wrong (a skipped block is one that adds
   * nothing), so a walk may start asking anywhere.
   */
  prune(pruner: Pruner): void {
    this.pruner = pruner;
  }

  /**
   * Walks on until a batch is full (returns it), `budget` nodes have been
   * visited (returns null: a pause point, so a long walk without text can be
   * split across slices), or the walk ends (returns the last batch, then
   * undefined).
   */
  next(budget = 256): TextBatch | null | undefined {
    const { walker, ours } = this;
    let node = this.node;
    let boundary = this.boundary;
    let visited = 0;
    while (node) {
      if (++visited > budget) {
        this.node = node;
        this.boundary = boundary;
        this.visited = visited;
        return null;
      }
      if (this.skip) {
        // A skipped block's elements, walked on their own (so no change to
        // the page can carry the walk past the block), from the same budget:
        // a run of skipped blocks is one long walk, paused like any other.
        const inner = this.skip.walk;
        const paused = inner.next(budget - visited) === null;
        visited += inner.visited;
        if (paused) {
          this.node = node;
          this.boundary = boundary;
          this.visited = visited;
          return null;
        }
        walker.currentNode = this.skip.block;
        this.skip = null;
        node = nextOutside(walker, this.root);
        continue;
      }
      if (this.reading && node === this.readUntil) this.reading = false;
      if (node.nodeType === 1) {
        const el = node as Element;
        const name = el.localName;
        const inline = INLINE_TAGS.has(name);
        if (!inline) boundary = true;
        // A walk of elements alone, for shadow roots, steps over skipped tags
        // (an SVG icon's paths) but asks a root's host whether a skipped
        // element holds it, which costs less than asking each element for
        // its attributes.
        if (skipsByTag(el) || ours.has(el) || (!this.elementsOnly && el.hasAttributes() && el.matches(SKIP_ATTRIBUTES))) {
          node = nextOutside(walker, this.root);
          continue;
        }
        const shadow = el.shadowRoot;
        if (shadow && !(this.elementsOnly && insideSkipped(el))) this.onShadowRoot(shadow);
        if (this.pruner && !this.reading && !inline) {
          const verdict = this.pruner(el);
          if (verdict === 'skip') {
            this.skip = { walk: new BatchCollector(el, this.onShadowRoot, ours, 0, true), block: el };
            continue;
          }
          if (verdict === 'read') {
            this.reading = true;
            this.readUntil = this.after(el);
          }
        }
        node = walker.nextNode();
        continue;
      }
      const text = node as Text;
      const data = text.data;
      node = walker.nextNode();
      // Most text sits right in its block (a <p>), or one or two inline
      // elements down; runs of text share a parent, whose block is kept.
      const parent = text.parentElement;
      let block: Block | null;
      // (Text right in a shadow root has no parent element: its block, the root, is looked up each time.)
      if (parent !== null && parent === this.lastParent) block = this.lastBlock;
      else {
        block = parent;
        while (block && INLINE_TAGS.has((block as Element).localName)) block = (block as Element).parentElement;
        if (!block) block = blockOf(text);
        this.lastParent = parent;
        this.lastBlock = block;
      }
      if (!block || !data) continue;
      if (!hasNonSpace(data)) {
        // Whitespace between inline elements still separates words.
        if (this.open >= 0 && !boundary && block === this.openBlock) this.append(text, data, parent);
        continue;
      }
      if (this.open < 0 || boundary || block !== this.openBlock) {
        if (this.open >= 0) this.closeSegment();
        // A block that starts with a text longer than a batch starts a batch of its own:
        // joined to what came before, a text of megabytes is copied whole (34 ms for 10 MB in Firefox).
        if (this.length >= this.maxChars || (this.length && data.length > this.maxChars)) {
          const full = this.finish();
          this.startSegment(block);
          this.node = node;
          this.boundary = false;
          this.visited = visited;
          this.append(text, data, parent);
          return full;
        }
        this.startSegment(block);
      }
      boundary = false;
      this.append(text, data, parent);
    }
    this.node = null;
    this.boundary = boundary;
    this.visited = visited;
    return this.finish() ?? undefined;
  }

  /** The node the walk meets after `el`'s subtree (null at the end of the walk); the walker stays on `el`. */
  private after(el: Element): Node | null {
    const end = nextOutside(this.walker, this.root);
    this.walker.currentNode = el;
    return end;
  }

  private startSegment(block: Block): void {
    const batch = this.batch;
    if (batch.starts.length) {
      this.parts.push(BATCH_SEPARATOR);
      this.length += BATCH_SEPARATOR.length;
    }
    this.open = batch.starts.length;
    this.openBlock = block;
    batch.blocks.push(block);
    batch.starts.push(this.length);
    batch.firstNode.push(batch.nodes.length);
  }

  private append(text: Text, data: string, parent: Element | null): void {
    // Two texts glued without a space across an element edge: one word
    // ("Deep<b>Seek</b>"), unless the page sets them apart on screen (a
    // headline link and its source label, "…export curbs" + "ChipWire").
    const last = this.lastText;
    if (this.open >= 0 && last && this.batch.nodes.length > this.batch.firstNode[this.open]! && this.appendedParent !== parent) {
      const lastData = this.lastData;
      if (isWordChar(lastData.charCodeAt(lastData.length - 1)) && isWordChar(data.charCodeAt(0)) && setApart(last, text)) {
        this.parts.push(' ');
        this.length += 1;
      }
    }
    this.lastText = text;
    this.lastData = data;
    this.appendedParent = parent;
    this.batch.nodes.push(text);
    this.batch.nodeStarts.push(this.length);
    this.parts.push(data);
    this.length += data.length;
  }

  private closeSegment(): void {
    this.batch.ends.push(this.length);
    this.batch.endNode.push(this.batch.nodes.length);
    this.open = -1;
    this.openBlock = null;
  }

  /** Closes the batch in progress and returns it (null when it holds nothing). */
  private finish(): TextBatch | null {
    if (this.open >= 0) this.closeSegment();
    const batch = this.batch;
    if (!batch.starts.length) return null;
    batch.text = this.parts.join('');
    this.batch = emptyBatch();
    this.parts = [];
    this.length = 0;
    return batch;
  }
}

/** The batches under `root` (for tests and tools; the scanner drives a BatchCollector itself). */
export function* collectBatches(
  root: Node,
  onShadowRoot?: (root: ShadowRoot) => void,
  also?: Iterable<Element>,
  maxChars?: number,
): Generator<TextBatch, void, void> {
  const collector = new BatchCollector(root, onShadowRoot, also, maxChars);
  for (let batch = collector.next(Infinity); batch !== undefined; batch = collector.next(Infinity)) if (batch) yield batch;
}

/** The segments under `root`, one by one (for tests and tools; the scanner works in batches). */
export function* collectSegments(root: Node, onShadowRoot?: (root: ShadowRoot) => void, also?: Iterable<Element>): Generator<Segment, void, void> {
  for (const batch of collectBatches(root, onShadowRoot, also)) {
    if (!batch) continue;
    for (let i = 0; i < batch.starts.length; i++) yield segmentAt(batch, i);
  }
}

function emptyBatch(): TextBatch {
  return { text: '', nodes: [], nodeStarts: [], blocks: [], starts: [], ends: [], firstNode: [], endNode: [] };
}

/** Steps the walker past the current node's subtree: its next sibling, or an ancestor's. */
function nextOutside(walker: TreeWalker, root: Node): Node | null {
  for (;;) {
    const sibling = walker.nextSibling();
    if (sibling) return sibling;
    const up = walker.parentNode();
    if (!up || up === root) return null;
  }
}

/**
 * What the visibility checks of one scan turn have learnt, shared between
 * the mentions of that turn (styles may change between turns): per element,
 * whether its text is shown, and whether it is a clipping box of its own.
 */
export class ShownCache {
  readonly shown = new Map<Element, boolean>();
  /** Is the element a box of a pixel or less that clips its content away? */
  readonly clips = new Map<Element, boolean>();
}

/** Transparent and invisible text is hidden text; text skipped by `content-visibility: auto` is not (that is the default). */
const VISIBILITY = { opacityProperty: true, visibilityProperty: true };

/**
 * Can a reader see this element's text? Not when it is not rendered, is
 * transparent or invisible (`checkVisibility`), or is clipped away to nothing
 * the way screen-reader-only text is (`.sr-only`: absolutely positioned, a
 * 1 px box, overflow hidden or clipped). Checked for the text a mention sits
 * in, not for every node; the ancestors it looks at are shared by the
 * mentions of a page, so each is measured once a turn.
 */
export function isShown(el: Element, cache: ShownCache): boolean {
  const known = cache.shown.get(el);
  if (known !== undefined) return known;
  // (Chromium 121 and Firefox 140, the oldest versions the manifest admits, take these options.)
  let shown = el.checkVisibility(VISIBILITY);
  // An element of `display: contents` has no box of its own, so the check says no; its text is
  // drawn in its parent's box (a wrapper of a grid, a framework's island element), which says.
  if (!shown && el.parentElement && getComputedStyle(el).display === 'contents') {
    shown = isShown(el.parentElement, cache);
    cache.shown.set(el, shown);
    return shown;
  }
  if (shown) {
    // Each read of a rect's side is a call into the engine: one of each.
    const { right, bottom, width, height } = el.getBoundingClientRect();
    // Moved off the page's top or left edge (left: -9999px), where no
    // scrolling reaches. Only a box at or past the viewport's edge can be, so
    // the scroll offsets are read for those alone.
    if ((right <= 0 || bottom <= 0) && (width > 0 || height > 0)) {
      const view = el.ownerDocument.defaultView;
      if (view && (right + view.scrollX <= 0 || bottom + view.scrollY <= 0)) shown = false;
    }
    // Clipping: the element itself or one of a few ancestors (the sr-only
    // idioms wrap text in a span or two, in a box of 1 px). The box size is
    // the cheap sign (the element's own is the rect just read); only such a
    // box has its computed style asked. Each element is measured once a turn,
    // whether it holds a mention's text or is an ancestor of one.
    for (let a: Element | null = el, i = 0; shown && a && i < 4; a = a.parentElement, i++) {
      let clips = cache.clips.get(a);
      if (clips === undefined) {
        const box = a as HTMLElement;
        const small = i === 0 ? width <= 1 && height <= 1 : box.offsetWidth === undefined || (box.offsetWidth <= 1 && box.offsetHeight <= 1);
        clips = small && clippedAway(a);
        cache.clips.set(a, clips);
      }
      if (clips) shown = false;
    }
  }
  cache.shown.set(el, shown);
  return shown;
}

/** A box taken out of the flow whose content is clipped or cut off: how screen-reader-only text hides. */
function clippedAway(el: Element): boolean {
  const style = el.ownerDocument.defaultView?.getComputedStyle(el);
  if (!style || (style.position !== 'absolute' && style.position !== 'fixed')) return false;
  return (style.clip !== 'auto' && style.clip !== '') || style.overflow !== 'visible' || /inset\(\s*(50%|100%)/.test(style.clipPath);
}

/**
 * Does `data` hold anything but white space? Text almost always starts with
 * a printable ASCII character, which answers at once; the rest asks \S.
 */
function hasNonSpace(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c > 32 && c < 127) || /\S/.test(data);
}

/**
 * Are two adjacent texts set apart on screen? Looks at the elements between
 * each text and their nearest common ancestor: one that is not laid out
 * inline (a block, inline-block or flex item), or that has margin, padding
 * or a border on the facing side, puts a visible gap between the words.
 * Asked only for texts glued without a space, which is rare.
 */
function setApart(a: Text, b: Text): boolean {
  const view = a.ownerDocument.defaultView;
  // A lone letter is a drop cap (often floated), the start of the word that follows.
  if (!view || a.data.trim().length <= 1) return false;
  const aSide: Element[] = [];
  for (let el = a.parentElement; el && aSide.length < 8; el = el.parentElement) aSide.push(el);
  const bSide: Element[] = [];
  let common: Element | null = null;
  for (let el = b.parentElement; el && bSide.length < 8; el = el.parentElement) {
    if (aSide.includes(el)) {
      common = el;
      break;
    }
    bSide.push(el);
  }
  if (!common) return false;
  const gap = (el: Element, side: 'Left' | 'Right') => {
    const style = view.getComputedStyle(el);
    // Ruby and its base flow in the line as inline text does (their annotations are skipped).
    if (style.display !== 'inline' && style.display !== 'contents' && !style.display.startsWith('ruby')) return true;
    return parseFloat(style[`margin${side}`]) + parseFloat(style[`padding${side}`]) + parseFloat(style[`border${side}Width`]) > 0;
  };
  for (const el of aSide) {
    if (el === common) break;
    if (gap(el, 'Right')) return true;
  }
  for (const el of bSide) if (gap(el, 'Left')) return true;
  return false;
}

/** Maps an offset range of a segment's text to (node, offset) boundaries. */
export function locate(seg: Segment, start: number, end: number): { startNode: Text; startOffset: number; endNode: Text; endOffset: number } {
  const s = nodeAt(seg, start, false);
  const e = nodeAt(seg, end, true);
  return { startNode: seg.nodes[s]!, startOffset: start - seg.starts[s]!, endNode: seg.nodes[e]!, endOffset: end - seg.starts[e]! };
}

function nodeAt(seg: Segment, offset: number, isEnd: boolean): number {
  let lo = 0;
  let hi = seg.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const start = seg.starts[mid]!;
    if (start < offset || (!isEnd && start === offset)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
