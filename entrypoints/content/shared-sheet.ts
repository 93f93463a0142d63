/**
 * The highlight stylesheet's code (./sheet.ts), as the content script reads
 * it: from sheet.js, which carries that code and leaves it on the global
 * object of our isolated world. Every script of ours in a frame shares that
 * global (the manifest's, and those the background adds); the page's own
 * scripts never see it. So a frame evaluates the sheet's code, with its
 * hash and names, once, not once in sheet.js and again in content.js.
 *
 * Only the content script's build reads this file: wxt.config.ts resolves
 * its imports of './sheet' here. Its unit and browser tests, and every other
 * script, import ./sheet.ts itself. The top frame runs sheet.js at
 * document_start; the background adds it before the content script to a
 * frame below the top. Should it be missing, `highlightsSupported` is false
 * and the content script does nothing.
 */
import type * as Sheet from './sheet';

/** The name of the global sheet.js leaves its code under. */
export const SHARED_SHEET = '__counterpointSheet';

const shared: Partial<typeof Sheet> = (globalThis as unknown as Record<string, typeof Sheet | undefined>)[SHARED_SHEET] ?? {};

export const { adoptEarly, adoptInto, dropFrom, findEarly, flashName, HIGHLIGHTS_INHERIT, highlightRule, lookName, LOOKS, makeSheet, pageSeed, sheetText } =
  shared as typeof Sheet;
export const highlightsSupported: () => boolean = shared.highlightsSupported ?? (() => false);
