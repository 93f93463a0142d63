/**
 * Counterpoint's content script, in every frame. All of it lives in
 * `./app.ts`; this file only declares where it runs.
 */
import { run } from './app';
import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: ['<all_urls>'],
  allFrames: true,
  matchAboutBlank: true,
  // At the start, so the highlight stylesheet is in before the page's
  // elements (see run()); the scan itself waits for the parsed document.
  runAt: 'document_start',
  // WXT would otherwise post the extension's id to every page at start.
  noScriptStartedPostMessage: true,
  main(ctx) {
    void run(ctx);
  },
});
