/**
 * Counterpoint's highlight stylesheet, put into the top document as the page
 * starts loading, before it has elements. Rules for `::highlight()` that
 * arrive after a page's elements make the browser restyle every one of them
 * (seconds on a very large page); arriving first, they cost nothing. The
 * content script (./content), which starts once the page is parsed, takes
 * this sheet over. Kept to the sheet alone, so the page's parsing waits for
 * as little of ours as it can; frames, which are small, get their sheet
 * from the content script with their first highlight.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import * as sheet from './content/sheet';
import { SHARED_SHEET } from './content/shared-sheet';

// Listed in the manifest by wxt.config.ts as a content script of the top
// frame at document_start. Not a WXT content script: that would bring WXT's
// script context and the promise wrapper for the extension API (13 kB more
// for every page to parse) to make one call.
// The background also adds it, before the content script, to a frame below
// the top that asks for the content script: there it only shares its code.
export default defineUnlistedScript(() => {
  // For the content script (./content/shared-sheet.ts), which is built without a copy of its own.
  (globalThis as unknown as Record<string, typeof sheet>)[SHARED_SHEET] = sheet;
  const runtime = (globalThis as unknown as { chrome?: { runtime?: { getURL(path: string): string } } }).chrome?.runtime;
  if (runtime && window === window.top && sheet.highlightsSupported()) sheet.adoptEarly(document, sheet.pageSeed(runtime.getURL('/')));
});
