/** Shared set-up for the browser layer: the real term index, and a stand-in for WXT's context. */
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';
import type { TermIndex } from '../../lib/protocol';
import { buildTermIndex } from '../../lib/term-index';
import type { Lifetime } from '../../entrypoints/content/lifetime';

export const data = dataset as Dataset;
export const index: TermIndex = buildTermIndex(data.version, data.topics, data.cues);
export const topicIds = index.topics.map((t) => t.id);
export const allTopics = new Set(topicIds);

/** What ContentScriptContext gives the parts, without an extension around it. */
export function lifetime(): Lifetime & { end(): void } {
  const controller = new AbortController();
  const signal = controller.signal;
  return {
    signal,
    addEventListener: ((target: EventTarget, type: string, handler: EventListener, options?: AddEventListenerOptions) =>
      target.addEventListener(type, handler, { ...options, signal })) as Lifetime['addEventListener'],
    setTimeout: (fn: () => void, ms?: number) => {
      const id = window.setTimeout(fn, ms);
      signal.addEventListener('abort', () => clearTimeout(id));
      return id;
    },
    requestAnimationFrame: (fn: FrameRequestCallback) => {
      const id = window.requestAnimationFrame(fn);
      signal.addEventListener('abort', () => cancelAnimationFrame(id));
      return id;
    },
    onInvalidated: (fn: () => void) => {
      signal.addEventListener('abort', fn);
      return () => signal.removeEventListener('abort', fn);
    },
    end: () => controller.abort(),
  };
}

export const frame = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0)));
