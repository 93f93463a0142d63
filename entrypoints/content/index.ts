/**
 * Counterpoint's content script. The manifest puts it in the top frame of
 * every page; a frame below the top gets it from the background once that
 * frame holds text worth scanning (entrypoints/frame.ts asks). All of it
 * lives in `./app.ts`; this file only declares where it runs.
 */
import { run } from './app';
import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  // WXT would otherwise post the extension's id to every page at start.
  noScriptStartedPostMessage: true,
  main(ctx) {
    void run(ctx);
  },
});
