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
import { adoptEarly, highlightsSupported, pageSeed } from './content/sheet';

// Listed in the manifest by wxt.config.ts as a content script of the top
// frame at document_start. Not a WXT content script: that would bring WXT's
// script context and the promise wrapper for the extension API (13 kB more
// for every page to parse) to make one call.
export default defineUnlistedScript(() => {
  const runtime = (globalThis as unknown as { chrome?: { runtime?: { getURL(path: string): string } } }).chrome?.runtime;
  if (runtime && highlightsSupported()) adoptEarly(document, pageSeed(runtime.getURL('/')));
});
