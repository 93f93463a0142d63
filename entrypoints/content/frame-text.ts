/**
 * What a frame must show before it is worth our script: text, and no opt-out.
 * Shared by the content script proper and the small script every frame
 * runs (entrypoints/frame.ts), so it imports nothing.
 */

/** What the wait for text needs of a script's life: WXT's script context has it, and a plain script gets by with the window's timers. */
export interface FrameLife {
  setTimeout(handler: () => void, ms: number): number;
  onInvalidated(callback: () => void): void;
}

/** Does the page as a whole opt out (`<meta name="counterpoint" content="off">`)? */
export function pageOptsOut(doc: Document): boolean {
  return doc.querySelector('meta[name="counterpoint"][content="off" i]') !== null || doc.documentElement.getAttribute('data-counterpoint') === 'off';
}

/** Characters of text a frame needs before it is worth scanning. */
const FRAME_MIN_CHARS = 200;

/**
 * Resolves true once `doc` holds at least FRAME_MIN_CHARS characters of
 * text outside scripts and styles (at once, or later as the frame fills in),
 * false if the context ends first. Checks after changes settle, never in the
 * observer callback.
 */
export function textArrives(life: FrameLife, doc: Document): Promise<boolean> {
  if (hasText(doc)) return Promise.resolve(true);
  return new Promise((done) => {
    let timer: number | undefined;
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = life.setTimeout(() => {
        if (!hasText(doc)) return;
        observer.disconnect();
        done(true);
      }, 300);
    });
    // The document itself, not its root element, which a page may replace (document.open()).
    observer.observe(doc, { childList: true, characterData: true, subtree: true });
    life.onInvalidated(() => {
      observer.disconnect();
      done(false);
    });
  });
}

function hasText(doc: Document): boolean {
  if (!doc.body) return false;
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  let chars = 0;
  for (let n = walker.nextNode(), seen = 0; n; n = walker.nextNode(), seen++) {
    // A long walk means a real document, whatever its first nodes hold.
    if (seen > 2000) return true;
    const parent = (n as Text).parentElement?.localName;
    if (parent === 'script' || parent === 'style' || parent === 'noscript' || parent === 'template') continue;
    chars += (n as Text).data.trim().length;
    if (chars >= FRAME_MIN_CHARS) return true;
  }
  return false;
}
