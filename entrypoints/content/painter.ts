/**
 * Painting with the CSS Custom Highlight API: one `Highlight` per topic,
 * registered under a prefixed name (`counterpoint-<slot>-<style>`) whose
 * look is defined in highlights.css. No element of the page is touched.
 *
 * If the page clears `CSS.highlights` or replaces our entries, `ensure()`
 * puts them back on the next paint.
 */
import type { HighlightStyle } from '@/lib/settings';

export const HIGHLIGHT_PREFIX = 'counterpoint-';
const SLOTS = 6;

export class Painter {
  private highlights = new Map<string, Highlight>();
  private names = new Map<string, string>();

  constructor(
    private readonly topicOrder: string[],
    private styles: Record<string, HighlightStyle>,
  ) {}

  static supported(): boolean {
    return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
  }

  setStyles(styles: Record<string, HighlightStyle>): void {
    this.styles = styles;
    for (const topic of this.highlights.keys()) this.ensure(topic);
  }

  private nameFor(topicId: string): string {
    const slot = Math.max(0, this.topicOrder.indexOf(topicId)) % SLOTS;
    return `${HIGHLIGHT_PREFIX}t${slot}-${this.styles[topicId] ?? 'underline'}`;
  }

  private highlight(topicId: string): Highlight {
    let h = this.highlights.get(topicId);
    if (!h) {
      h = new Highlight();
      h.priority = 1;
      this.highlights.set(topicId, h);
    }
    this.ensure(topicId);
    return h;
  }

  /** (Re)registers the topic's highlight under its current name. */
  private ensure(topicId: string): void {
    const h = this.highlights.get(topicId);
    if (!h) return;
    const name = this.nameFor(topicId);
    const old = this.names.get(topicId);
    if (old && old !== name && CSS.highlights.get(old) === h) CSS.highlights.delete(old);
    if (CSS.highlights.get(name) !== h) CSS.highlights.set(name, h);
    this.names.set(topicId, name);
  }

  add(topicId: string, range: AbstractRange): void {
    this.highlight(topicId).add(range);
  }

  remove(topicId: string, range: AbstractRange): void {
    this.highlights.get(topicId)?.delete(range);
  }

  /** Puts back any registration the page removed. Cheap: a few map lookups. */
  repair(): void {
    for (const topic of this.highlights.keys()) this.ensure(topic);
  }

  clearTopic(topicId: string): void {
    const h = this.highlights.get(topicId);
    h?.clear();
  }

  destroy(): void {
    for (const [topic, h] of this.highlights) {
      h.clear();
      const name = this.names.get(topic);
      if (name && CSS.highlights.get(name) === h) CSS.highlights.delete(name);
    }
    this.highlights.clear();
    this.names.clear();
  }
}

/**
 * `::highlight()` rules apply per tree scope, so text inside a page's open
 * shadow root needs our rules in that root too. `adoptedStyleSheets` adds
 * them without inserting any element.
 */
export function styleShadowRoot(root: ShadowRoot, cssText: string): void {
  try {
    const view = root.ownerDocument.defaultView;
    if (!view) return;
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(cssText);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // Some pages freeze adoptedStyleSheets; their shadow text stays unstyled but still works for hover.
  }
}
