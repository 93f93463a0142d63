/**
 * The sentence a mention sits in, from its paragraph's text. Its own module:
 * the content script needs only this of what lib/cards.ts holds, and a
 * module's top-level values (that file's stop words) come along with any
 * import of it.
 */
const TERMINATORS = /[.!?。！？]/;

/**
 * The sentence around [start, end) in `text`: from the previous sentence end
 * to the next, not splitting on decimals ("3.5"), initials ("U.S.") or
 * common abbreviations. At most ~300 characters around the mention.
 */
export function sentenceAround(text: string, start: number, end: number): string {
  const limit = 300;
  let from = start;
  while (from > 0 && start - from < limit) {
    const ch = text[from - 1]!;
    if (TERMINATORS.test(ch) && isSentenceEnd(text, from - 1)) break;
    from--;
  }
  let to = end;
  while (to < text.length && to - end < limit) {
    const ch = text[to]!;
    to++;
    if (TERMINATORS.test(ch) && isSentenceEnd(text, to - 1)) break;
  }
  return text.slice(from, to).replace(/\s+/g, ' ').trim();
}

function isSentenceEnd(text: string, i: number): boolean {
  const ch = text[i]!;
  if ('。！？'.includes(ch)) return true;
  const next = text[i + 1];
  if (next !== undefined && !/\s/.test(next) && !/["'”’)\]]/.test(next)) return false; // 3.5, U.S.A, e.g.x
  if (ch !== '.') return true;
  const before = text.slice(Math.max(0, i - 5), i);
  if (/(^|[\s(])([A-Z]|[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|St|vs|etc|Inc|Co|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)$/.test(before)) return false;
  return true;
}
