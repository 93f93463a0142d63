/**
 * Geometry and order of mentions: live ranges from our static ones, their
 * boxes, hit-testing a point against them, and document order across shadow
 * roots (the order a reader meets text on screen).
 */

/** A live Range for a StaticRange, or null once its text has left the document. */
export function toLiveRange(range: AbstractRange): Range | null {
  if (!range.startContainer.isConnected) return null;
  const live = range.startContainer.ownerDocument!.createRange();
  try {
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
  } catch {
    return null;
  }
  return live;
}

/** The bounding box of a range in viewport coordinates, or null when detached. */
export function rangeRect(range: AbstractRange): DOMRect | null {
  return toLiveRange(range)?.getBoundingClientRect() ?? null;
}

/** Is the viewport point on one of the range's line boxes (1 px of slack)? */
export function pointInRange(range: AbstractRange, x: number, y: number): boolean {
  const live = toLiveRange(range);
  if (!live) return false;
  for (const r of live.getClientRects()) {
    if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return true;
  }
  return false;
}

/** Is a box at least partly in the viewport, give or take `margin` px? */
export function inViewport(rect: DOMRect, view: Window, margin = 0): boolean {
  return rect.bottom >= -margin && rect.top <= view.innerHeight + margin && rect.width + rect.height > 0;
}

/**
 * The chain of nodes from the document's tree down to `node`: [outermost
 * shadow host, …, node]. A node in the document itself gives [node].
 */
function hostPath(node: Node): Node[] {
  const path = [node];
  for (let root = node.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) path.unshift(root.host);
  return path;
}

/**
 * Document order in the flat tree: negative when `a` comes first. Nodes in
 * open shadow roots are ordered by their hosts' places in the document, so a
 * card inside a web component sits where the reader sees it.
 */
export function compareNodes(a: Node, b: Node): number {
  if (a === b) return 0;
  if (a.getRootNode() !== b.getRootNode()) {
    const pa = hostPath(a);
    const pb = hostPath(b);
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] !== pb[i]) return compareNodes(pa[i]!, pb[i]!);
    }
    return pa.length - pb.length;
  }
  const pos = a.compareDocumentPosition(b);
  return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : pos & Node.DOCUMENT_POSITION_PRECEDING ? 1 : 0;
}
