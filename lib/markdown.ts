/**
 * The small part of Markdown our own documents use (headings, paragraphs,
 * bullet lists, pipe tables, `code`, **strong** and [links](url)), parsed
 * into plain data so a page can render it as text nodes, never as HTML.
 *
 * It exists so the extension can show docs/privacy.md itself: one source
 * for the policy in the repository and the policy in the browser. Anything
 * it does not recognise stays literal text.
 */

export type Inline =
  { kind: 'text'; text: string } | { kind: 'code'; text: string } | { kind: 'strong'; text: string } | { kind: 'link'; text: string; href: string };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; head: Inline[][]; rows: Inline[][][] };

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Only links a reader can safely follow from an extension page: the web, or a fragment. */
const SAFE_HREF = /^(https?:\/\/|#)/i;

export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  const text = (s: string) => {
    if (!s) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += s;
    else out.push({ kind: 'text', text: s });
  };
  for (const m of source.matchAll(INLINE)) {
    text(source.slice(at, m.index));
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] });
    else if (SAFE_HREF.test(m[4]!)) out.push({ kind: 'link', text: m[3]!, href: m[4]! });
    else text(m[3]!);
    at = m.index + m[0].length;
  }
  text(source.slice(at));
  return out;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => parseInline(c.trim()));

const isRule = (line: string) => /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line);

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3, content: parseInline(heading[2]!.trim()) });
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|') && i + 1 < lines.length && isRule(lines[i + 1]!)) {
      const head = cells(line);
      const rows: Inline[][][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(cells(lines[i++]!));
      blocks.push({ kind: 'table', head, rows });
      continue;
    }
    if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && lines[i]!.trim()) {
        const item = /^\s*[-*]\s+(.*)$/.exec(lines[i]!);
        if (item) items.push(item[1]!);
        else if (items.length) items[items.length - 1] += ` ${lines[i]!.trim()}`;
        i++;
      }
      blocks.push({ kind: 'list', items: items.map(parseInline) });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^#{1,3}\s/.test(lines[i]!) && !/^\s*[-*]\s+/.test(lines[i]!) && !lines[i]!.trimStart().startsWith('|')) {
      paragraph.push(lines[i]!.trim());
      i++;
    }
    if (!paragraph.length) {
      // A lone pipe line that is not a table: keep it as text.
      paragraph.push(line.trim());
      i++;
    }
    blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join(' ')) });
  }
  return blocks;
}
