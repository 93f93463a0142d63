/**
 * The highlight stylesheet: its rules, the names they draw, and putting it in
 * a document. Apart from the painter so that the small script that adopts
 * the sheet as a page starts loading (entrypoints/sheet.ts) carries
 * only this, not the scanner.
 *
 * The sheet needs nothing from the settings or the index: a rule for every
 * look in every palette colour, each under a name derived from the page
 * load's seed (see painter.ts). So it can be in place before the page has
 * elements, and its rules never make the browser restyle a built page.
 */
import { derivedNames } from '@/lib/names';
import type { HighlightStyle } from '@/lib/settings';
import { TOPIC_PALETTE, slotColour } from '@/lib/theme';

/** The seed of this page load's names: secret to the page (see painter.ts), the same for every script of ours in it. */
export function pageSeed(extensionBaseUrl: string): string {
  return `${extensionBaseUrl}|${performance.timeOrigin}`;
}

/**
 * The look of one highlight, strong (a first mention, or every mention when
 * the reader asked) or faint (a repeat). Never a solid underline, which reads
 * as a link: a dotted underline over a faint tint, or a soft tint alone.
 */
export function highlightRule(name: string, colour: string, style: HighlightStyle, strength: 'strong' | 'faint' = 'strong', scope = ''): string {
  if (style === 'background') {
    return `${scope}::highlight(${name}) { background-color: color-mix(in srgb, ${colour} ${strength === 'strong' ? 26 : 10}%, transparent); }`;
  }
  return strength === 'strong'
    ? `${scope}::highlight(${name}) { background-color: color-mix(in srgb, ${colour} 9%, transparent); text-decoration: underline dotted 2px ${colour}; text-underline-offset: 3px; }`
    : `${scope}::highlight(${name}) { text-decoration: underline dotted 1px color-mix(in srgb, ${colour} 65%, transparent); text-underline-offset: 3px; }`;
}

/**
 * Does a highlight's look pass from an element to the text of its
 * descendants? In Chromium it does (highlight inheritance), so our rules can
 * be written for the root element alone: `:root::highlight(x)`. Written for
 * every element (`::highlight(x)`, which the browser must consider for each
 * one), they slowed every later restyle of the page's own: on the generated
 * 4 MB page with our 6,800 highlights in, a full restyle took 790 ms, against
 * 540 ms with rules for the root and 351 ms without the extension (medians of
 * 12). The look also reaches text in shadow roots, through their hosts.
 * Firefox draws a highlight only with a rule matching the text's own
 * element, and its restyles showed no such slowdown (about 320 ms before and
 * after), so there the rules stay universal and each open shadow root adopts
 * them.
 */
export const HIGHLIGHTS_INHERIT = !import.meta.env.FIREFOX;

/** The looks a highlight can take; `quiet` has no rule (an emphasis that adds nothing). */
export type Look = `${HighlightStyle}-${'strong' | 'faint'}` | 'quiet';
export const DRAWN_LOOKS: readonly Look[] = ['dotted-faint', 'dotted-strong', 'background-faint', 'background-strong'];
export const LOOKS: readonly Look[] = [...DRAWN_LOOKS, 'quiet'];

/** Per seed: the flash's name, then every look's, slot by slot (a longer table starts the same). */
const nameTables = new Map<string, string[]>();

function names(seed: string, slots: number): string[] {
  let table = nameTables.get(seed);
  const needed = Math.max(slots, TOPIC_PALETTE.length) * LOOKS.length + 1;
  if (!table || table.length < needed) nameTables.set(seed, (table = derivedNames(seed, 'highlights', needed)));
  return table;
}

/** The name of one look in one colour slot, for a seed (see the module comment). */
export function lookName(seed: string, slot: number, look: Look): string {
  return names(seed, slot + 1)[1 + slot * LOOKS.length + LOOKS.indexOf(look)]!;
}

/** The name of the brief mark on a mention the reader jumped to. */
export function flashName(seed: string): string {
  return names(seed, 0)[0]!;
}

/**
 * The whole stylesheet for `slots` colour slots: every drawn look in every
 * slot's colour, the jump flash, and their forced-colours versions. A pure
 * function of the seed, so it can be built before the settings and the index
 * are read.
 */
export function sheetText(seed: string, slots: number, inherits: boolean): string {
  const scope = inherits ? ':root' : '';
  const rules: string[] = [];
  const forced: string[] = [];
  const selectors: string[] = [];
  for (let slot = 0; slot < slots; slot++) {
    for (const look of DRAWN_LOOKS) {
      const [style, strength] = look.split('-') as [HighlightStyle, 'strong' | 'faint'];
      const name = lookName(seed, slot, look);
      const selector = `${scope}::highlight(${name})`;
      selectors.push(selector);
      rules.push(highlightRule(name, slotColour(slot).mark, style, strength, scope));
      // Forced colours: every mention dotted in the text colour; strong ones also in Mark.
      forced.push(
        `${selector} { text-decoration: underline dotted 2px CanvasText;${strength === 'strong' ? ' background-color: Mark; color: MarkText;' : ''} }`,
      );
    }
  }
  const flash = `${scope}::highlight(${flashName(seed)})`;
  selectors.push(flash);
  rules.push(`${flash} { background-color: rgba(255, 196, 0, 0.55); color: #000; }`);
  rules.push(`@media (forced-colors: active) { ${forced.join(' ')} }`);
  // On paper, the page as its publisher printed it: none of our marks.
  rules.push(`@media print { ${selectors.join(', ')} { background-color: transparent; color: inherit; text-decoration: none; } }`);
  return rules.join('\n');
}

/** Builds a stylesheet in `doc`'s own realm (a Firefox content script's constructor would not do). */
export function makeSheet(doc: Document, text: string): CSSStyleSheet | null {
  const view = doc.defaultView;
  if (!view) return null;
  const sheet = new view.CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
}

export function adoptInto(root: Document | ShadowRoot, sheet: CSSStyleSheet): void {
  try {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // Some pages freeze adoptedStyleSheets; their text stays unstyled but hover still works.
  }
}

export function dropFrom(root: Document | ShadowRoot, sheet: CSSStyleSheet): void {
  try {
    if (root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
  } catch {
    /* a page that froze adoptedStyleSheets keeps an inert sheet */
  }
}

/** Whether this browser can draw highlights at all. */
export function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

/** The sheet for the palette's colours under `seed`'s names, adopted into `doc` now. */
export function adoptEarly(doc: Document, seed: string, inherits = HIGHLIGHTS_INHERIT): CSSStyleSheet | null {
  try {
    const sheet = makeSheet(doc, sheetText(seed, TOPIC_PALETTE.length, inherits));
    if (sheet) adoptInto(doc, sheet);
    return sheet;
  } catch {
    return null;
  }
}

/**
 * The sheet `adoptEarly` put into `doc` with this seed (by another script of
 * ours, or an earlier instance of this one), or null. Known by its first
 * rule, which draws a name only that seed gives.
 */
export function findEarly(doc: Document, seed: string): CSSStyleSheet | null {
  const first = `::highlight(${lookName(seed, 0, DRAWN_LOOKS[0]!)})`;
  try {
    for (const sheet of doc.adoptedStyleSheets) {
      const rule = sheet.cssRules[0];
      if (rule instanceof CSSStyleRule && rule.selectorText.endsWith(first)) return sheet;
    }
  } catch {
    /* a page that replaced adoptedStyleSheets with something odd */
  }
  return null;
}
