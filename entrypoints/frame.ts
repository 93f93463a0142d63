/**
 * The script every frame below the top evaluates: a few hundred bytes that
 * wait for the frame to hold text worth scanning (an ad, an empty embed or a
 * button never does), then ask the background to add the content script
 * proper (entrypoints/content) to this frame. So a page of thirty ad frames
 * pays for thirty small scripts, not thirty copies of the scanner.
 *
 * Listed in the manifest by wxt.config.ts, for all frames and about:blank
 * ones. Not a WXT content script: WXT's script context and the promise
 * wrapper for the extension API would be most of its size, for one call.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { pageOptsOut, textArrives } from './content/frame-text';
import { highlightsSupported } from './content/sheet';

interface Runtime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown> | void;
}

export default defineUnlistedScript(() => {
  if (window === window.top || !highlightsSupported()) return;
  const life = { setTimeout: (handler: () => void, ms: number) => window.setTimeout(handler, ms), onInvalidated: () => undefined };
  void textArrives(life, document).then((worth) => {
    if (!worth || pageOptsOut(document)) return;
    // The extension's API is touched only now: a frame's first use of it builds the API's objects in
    // our world (about 0.2 ms a frame in Chromium), which a frame that never holds text never pays.
    const scope = globalThis as unknown as { browser?: { runtime?: Runtime }; chrome?: { runtime?: Runtime } };
    // Firefox's `browser` (promises); Chromium's `chrome` returns promises in MV3 too.
    const runtime = scope.browser?.runtime ?? scope.chrome?.runtime;
    // An extension reloaded or removed meanwhile has no id left to ask.
    if (!runtime?.id) return;
    try {
      void Promise.resolve(runtime.sendMessage({ type: 'loadApp' })).catch(() => undefined);
    } catch {
      /* the extension went away between the check and the call */
    }
  });
});
