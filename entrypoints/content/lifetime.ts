/**
 * The part of WXT's ContentScriptContext the content script's parts use: it
 * owns their listeners and timers and ends them all when the extension is
 * updated, reloaded or removed. Parts take this rather than the whole context,
 * so the browser tests can hand them a plain one.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';

export type Lifetime = Pick<ContentScriptContext, 'addEventListener' | 'setTimeout' | 'requestAnimationFrame' | 'onInvalidated' | 'signal'>;
