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

const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'INPUT',
  'SELECT',
  'OPTION',
  'BUTTON',
  'CODE',
  'PRE',
  'KBD',
  'SAMP',
  'SVG',
  'MATH',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'OBJECT',
  'EMBED',
  'HEAD',
  'TITLE',
]);

/** Elements that flow inside a line of text; everything else starts a new segment. */
const INLINE_TAGS = new Set([
  'A',
  'ABBR',
  'B',
  'BDI',
  'BDO',
  'CITE',
  'DATA',
  'DFN',
  'EM',
  'FONT',
  'I',
  'INS',
  'DEL',
  'LABEL',
  'MARK',
  'Q',
  'S',
  'SMALL',
  'SPAN',
  'STRONG',
  'SUB',
  'SUP',
  'TIME',
  'U',
  'VAR',
  'WBR',
  'NOBR',
  'TT',
  'BIG',
  'STRIKE',
]);

/** True for an element whose subtree is never scanned. */
export function isSkipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName.toUpperCase())) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable !== 'false') return true;
  if (el.getAttribute('data-counterpoint') === 'off' || el.getAttribute('data-gramm') === 'false') return true;
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  return false;
}

/** Does the page as a whole opt out (`<meta name="counterpoint" content="off">`)? */
export function pageOptsOut(doc: Document): boolean {
  return doc.querySelector('meta[name="counterpoint"][content="off" i]') !== null || doc.documentElement.getAttribute('data-counterpoint') === 'off';
}

export function isInline(el: Element): boolean {
  return INLINE_TAGS.has(el.tagName.toUpperCase());
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
    if (isSkipped(el) || (el as HTMLElement).isContentEditable) return true;
    if (el.parentElement) el = el.parentElement;
    else {
      const root = el.getRootNode();
      el = root instanceof ShadowRoot ? root.host : null;
    }
  }
  return false;
}

/**
 * Walks `root` in document order and yields segments, and `null` now and then
 * as a pause point. Generator, so the caller can stop between segments to give
 * the page the main thread back. Open
 * shadow roots met on the way are reported through `onShadowRoot`; elements
 * for which `skip` says so (our own UI) are left out with their subtrees.
 */
export function* collectSegments(
  root: Node,
  onShadowRoot: (root: ShadowRoot) => void = () => undefined,
  skip: (el: Element) => boolean = () => false,
): Generator<Segment | null, void, void> {
  const doc = root.ownerDocument ?? (root as Document);
  const visible = new Map<Element, boolean>();
  // Set when the walk enters a non-inline element: the next text starts a new segment.
  let boundary = true;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === 1) {
        const el = node as Element;
        if (!isInline(el)) boundary = true;
        if (isSkipped(el) || skip(el)) return NodeFilter.FILTER_REJECT;
        if (el.shadowRoot) onShadowRoot(el.shadowRoot);
        return NodeFilter.FILTER_SKIP;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  let current: Segment | null = null;
  let visited = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // A pause point (null) every so often, so a long walk without text (deep
    // nesting, huge tables of markup) can be split across slices too.
    if ((++visited & 255) === 0) yield null;
    const text = node as Text;
    const data = text.data;
    if (!data || !/\S/.test(data)) {
      // Whitespace between inline elements still separates words.
      if (current && data && !boundary && blockOf(text) === current.block) appendNode(current, text);
      continue;
    }
    const parent = text.parentElement;
    if (!parent || !isVisible(parent, visible)) continue;
    const block = blockOf(text);
    if (!block) continue;
    if (!current || boundary || current.block !== block) {
      if (current) yield current;
      current = { block, nodes: [], starts: [], text: '' };
    }
    boundary = false;
    appendNode(current, text);
  }
  if (current) yield current;
}

function appendNode(seg: Segment, node: Text): void {
  seg.starts.push(seg.text.length);
  seg.nodes.push(node);
  seg.text += node.data;
}

function isVisible(el: Element, cache: Map<Element, boolean>): boolean {
  const known = cache.get(el);
  if (known !== undefined) return known;
  const html = el as HTMLElement;
  const result =
    typeof html.checkVisibility === 'function'
      ? html.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: false } as CheckVisibilityOptions)
      : true;
  cache.set(el, result);
  return result;
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
