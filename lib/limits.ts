/**
 * How much of a page Counterpoint paints and keeps, and how much a dataset may
 * hold. Pure constants, shared by the content script, the background, the
 * popup's wording and the tests.
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

/**
 * Limits on what a dataset may hold: far above any real dataset (the bundled
 * one is about 180 kB with 42 cards), low enough that an imported file cannot
 * fill the browser's storage or make every page slow to scan. The term index
 * that content scripts read (lib/term-index.ts) checks the same numbers.
 */
export const DATASET_LIMITS = {
  /** Characters in an imported file. */
  fileChars: 5_000_000,
  /** The term index built from it, as JSON (storage.local holds it; Chrome allows 10 MB in all). */
  indexChars: 1_000_000,
  topics: 32,
  termsPerTopic: 2000,
  cueSets: 100,
  phrasesPerSet: 2000,
  /** A term or a cue phrase. */
  phraseChars: 200,
  /** Any other text: a summary, an argument, a fact. */
  textChars: 4000,
  sources: 5000,
  cards: 2000,
  /** Facts, viewpoints, holders, cue phrases, source ids or rule references in one item. */
  listItems: 100,
} as const;
