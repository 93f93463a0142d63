/**
 * How much of a page Counterpoint paints and keeps. Pure constants, shared by
 * the content script, the popup's wording and the tests.
 */

/** Mentions painted at once; past this, the painted window follows the reader's scroll position. */
export const MAX_PAINTED = 5000;

/**
 * Mentions kept per page (for the popup's list, keyboard steps and the
 * painted window). Past this a page's mentions are only counted.
 */
export const MAX_RETAINED = 50_000;

/**
 * Mentions kept in one block. A reader gains nothing from thousands of marks
 * in one paragraph, and the browser's highlight painting grows with the
 * ranges on a text node (a 10 MB single-node page froze frames for over
 * 400 ms with 5,000 of them in Chromium).
 */
export const MAX_PER_BLOCK = 500;

/**
 * Text nodes longer than this are scanned and counted but never painted: any
 * highlight change inside one makes the browser re-walk the whole node before
 * painting (measured in Chromium 156: about 400 ms of PrePaint per change on a
 * 10 MB node, against 17 ms for a page without our highlight styles).
 */
export const MAX_NODE_CHARS = 262_144;

/** Mentions listed in the popup (in document order). */
export const MAX_LISTED = MAX_PAINTED;
