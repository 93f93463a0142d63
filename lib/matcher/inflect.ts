/**
 * Inflections of a term's last word, for terms marked `inflect: true` in the
 * dataset. A small, predictable rule set rather than a stemmer: it may
 * produce a few forms that never occur in English, which costs nothing, and it
 * never strips a word down to a stem that would match unrelated words.
 *
 *   distill  → distills, distilled, distilling, distiller, distillers
 *   distil   → distils, distilled, distilling (final consonant doubled)
 *   control  → controls, controlled, controlling
 *   restrict → restricts, restricted, restricting
 *   curb     → curbs, curbed, curbing, curber, curbers
 *   ban      → bans, banned, banning
 *   supply   → supplies, supplied
 *   use      → uses, used, using
 */
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

export function inflections(word: string): string[] {
  const w = word.toLowerCase();
  const forms = new Set([w, `${w}s`, `${w}ed`, `${w}ing`, `${w}er`, `${w}ers`]);
  if (/(s|x|z|ch|sh)$/.test(w)) forms.add(`${w}es`);
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1);
    for (const suffix of ['ed', 'ing', 'er', 'ers']) forms.add(stem + suffix);
  }
  if (/[^aeiou]y$/.test(w)) {
    const stem = w.slice(0, -1);
    forms.add(`${stem}ies`);
    forms.add(`${stem}ied`);
  }
  const last = w.at(-1) ?? '';
  const prev = w.at(-2) ?? '';
  if (w.length >= 3 && !VOWELS.has(last) && VOWELS.has(prev) && !'wxy'.includes(last)) {
    for (const suffix of ['ed', 'ing', 'er', 'ers']) forms.add(w + last + suffix);
  }
  return [...forms];
}
