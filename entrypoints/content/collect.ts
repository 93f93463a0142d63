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
 * Elements whose subtrees are never read, as one selector: the walk finds
 * them with a single native query instead of asking every element.
 */
const SKIP_SELECTOR = [
  'script, style, noscript, template, head, title',
  'textarea, input, select, option, button',
  'code, pre, kbd, samp',
  'svg, math, canvas, video, audio, object, embed, iframe',
  '[contenteditable]:not([contenteditable="false" i])',
  '[data-counterpoint="off" i], [data-gramm="false"]',
  '[hidden], [aria-hidden="true"]',
].join(', ');

/** Elements that flow inside a line of text; everything else starts a new segment. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'data', 'dfn', 'em', 'font', 'i', 'ins', 'del', 'label', 'mark', 'q', 's',
  'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'nobr', 'tt', 'big', 'strike',
]);

/** True for an element whose subtree is never scanned. */
export function isSkipped(el: Element): boolean {
  return el.matches(SKIP_SELECTOR);
}

/** Does the page as a whole opt out (`<meta name="counterpoint" content="off">`)? */
export function pageOptsOut(doc: Document): boolean {
  return doc.querySelector('meta[name="counterpoint"][content="off" i]') !== null || doc.documentElement.getAttribute('data-counterpoint') === 'off';
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
    if (el.closest(SKIP_SELECTOR)) return true;
    const root = el.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

/**
 * Walks `root` in document order and yields segments, and `null` now and then
 * as a pause point, so the caller can stop between segments to give the page
 * the main thread back. Open shadow roots met on the way are reported through
 * `onShadowRoot`; `also` names more elements to leave out (our own UI).
 *
 * Built for speed, because it reads every text node of the page: no filter
 * callback (a call from native code into ours per node is what made walks
 * slow), skipped subtrees found with one query and stepped over, the block of
 * each text cached by its parent. Visibility is not checked here: only a
 * mention's own text is, once it is found (see Scanner), since almost all
 * text holds none.
 */
export function* collectSegments(
  root: Node,
  onShadowRoot: (root: ShadowRoot) => void = () => undefined,
  also: Iterable<Element> = [],
): Generator<Segment | null, void, void> {
  const doc = root.ownerDocument ?? (root as Document);
  const scope = root as ParentNode & Node;
  const skipped = new Set<Element>(scope.querySelectorAll ? scope.querySelectorAll(SKIP_SELECTOR) : []);
  for (const el of also) skipped.add(el);
  if (root.nodeType === 1 && (skipped.has(root as Element) || insideSkipped(root))) return;
  const blocks = new Map<Element, Block | null>();
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  // Set when the walk enters a non-inline element: the next text starts a new segment.
  let boundary = true;
  let current: Segment | null = null;
  let visited = 0;
  let node: Node | null = walker.nextNode();
  while (node) {
    // A pause point (null) every so often, so a long walk without text (deep
    // nesting, huge tables of markup) can be split across slices too.
    if ((++visited & 255) === 0) yield null;
    if (node.nodeType === 1) {
      const el = node as Element;
      if (!INLINE_TAGS.has(el.localName)) boundary = true;
      if (skipped.has(el)) {
        node = nextOutside(walker, root);
        continue;
      }
      if (el.shadowRoot) onShadowRoot(el.shadowRoot);
      node = walker.nextNode();
      continue;
    }
    const text = node as Text;
    const data = text.data;
    node = walker.nextNode();
    const parent = text.parentElement;
    const block = parent ? cachedBlock(parent, blocks) : blockOf(text);
    if (!block) continue;
    if (!data || !/\S/.test(data)) {
      // Whitespace between inline elements still separates words.
      if (current && data && !boundary && block === current.block) appendNode(current, text);
      continue;
    }
    if (!current || boundary || current.block !== block) {
      if (current) yield current;
      current = { block, nodes: [], starts: [], text: '' };
    }
    boundary = false;
    appendNode(current, text);
  }
  if (current) yield current;
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

/** The block of a text node whose parent is `el`, cached per element for the walk. */
function cachedBlock(el: Element, cache: Map<Element, Block | null>): Block | null {
  const known = cache.get(el);
  if (known !== undefined) return known;
  let block: Block | null;
  if (!INLINE_TAGS.has(el.localName)) block = el;
  else {
    const parent = el.parentElement;
    block = parent ? cachedBlock(parent, cache) : blockOf(el);
  }
  cache.set(el, block);
  return block;
}

function appendNode(seg: Segment, node: Text): void {
  seg.starts.push(seg.text.length);
  seg.nodes.push(node);
  seg.text += node.data;
}

/**
 * Can a reader see this element's text? Not when it is not rendered, is
 * transparent or invisible (`checkVisibility`), or is clipped away to nothing
 * the way screen-reader-only text is (`.sr-only`: absolutely positioned, a
 * 1 px box, overflow hidden or clipped). Checked for the text a mention sits
 * in, not for every node.
 */
export function isShown(el: Element, cache: Map<Element, boolean>): boolean {
  const known = cache.get(el);
  if (known !== undefined) return known;
  let shown = typeof el.checkVisibility !== 'function' || el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: false });
  // Clipping: the element itself or one of a few ancestors (the sr-only pattern wraps text in a span or two).
  for (let a: Element | null = el, i = 0; shown && a && i < 4; a = a.parentElement, i++) {
    if (clippedAway(a)) shown = false;
  }
  cache.set(el, shown);
  return shown;
}

function clippedAway(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  const style = view.getComputedStyle(el);
  if (style.position !== 'absolute' && style.position !== 'fixed') return false;
  const clip = style.clip;
  if (clip && clip !== 'auto' && /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(clip)) return true;
  const clipPath = style.clipPath;
  if (clipPath && /inset\(\s*(50%|100%)/.test(clipPath)) return true;
  if (style.overflow !== 'visible' || style.overflowX !== 'visible') {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) return true;
  }
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
