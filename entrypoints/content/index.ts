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
  runAt: 'document_idle',
  // WXT would otherwise post the extension's id to every page at start.
  noScriptStartedPostMessage: true,
  main(ctx) {
    void run(ctx);
  },
});
