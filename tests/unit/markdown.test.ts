import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, type Block } from '../../lib/markdown';

describe('markdown (the subset our documents use)', () => {
  it('reads code, strong and web links inline, and keeps everything else literal', () => {
    expect(parseInline('no `fetch` and **the site list**, see [the README](https://example.org/r#a).')).toEqual([
      { kind: 'text', text: 'no ' },
      { kind: 'code', text: 'fetch' },
      { kind: 'text', text: ' and ' },
      { kind: 'strong', text: 'the site list' },
      { kind: 'text', text: ', see ' },
      { kind: 'link', text: 'the README', href: 'https://example.org/r#a' },
      { kind: 'text', text: '.' },
    ]);
    expect(parseInline('a <b>tag</b> & *one star*')).toEqual([{ kind: 'text', text: 'a <b>tag</b> & *one star*' }]);
  });

  it('drops the target of a link a reader should not follow from an extension page', () => {
    expect(parseInline('[click](javascript:alert(1)) and [x](data:text/html,hi)')).toEqual([{ kind: 'text', text: 'click) and x' }]);
    expect(parseInline('[top](#contact)')).toEqual([{ kind: 'link', text: 'top', href: '#contact' }]);
  });

  it('splits headings, joined paragraphs, lists and pipe tables', () => {
    const blocks = parseMarkdown(
      [
        '# Title',
        '',
        'one line',
        'and the next',
        '',
        '- first',
        '  continued',
        '- second',
        '',
        '| A | B |',
        '| --- | :-: |',
        '| `x` | y |',
        '| z |  |',
        '',
        '## Next',
      ].join('\n'),
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'table', 'heading']);
    expect(blocks[1]).toEqual({ kind: 'paragraph', content: [{ kind: 'text', text: 'one line and the next' }] });
    expect((blocks[2] as Extract<Block, { kind: 'list' }>).items).toEqual([[{ kind: 'text', text: 'first continued' }], [{ kind: 'text', text: 'second' }]]);
    const table = blocks[3] as Extract<Block, { kind: 'table' }>;
    expect(table.head).toEqual([[{ kind: 'text', text: 'A' }], [{ kind: 'text', text: 'B' }]]);
    expect(table.rows).toEqual([
      [[{ kind: 'code', text: 'x' }], [{ kind: 'text', text: 'y' }]],
      [[{ kind: 'text', text: 'z' }], []],
    ]);
    expect(blocks[4]).toMatchObject({ kind: 'heading', level: 2 });
  });

  it('a pipe line without a rule under it is a paragraph, not a table', () => {
    expect(parseMarkdown('| not a table |\n\ntext')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: '| not a table |' }] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'text' }] },
    ]);
  });

  it('reads the privacy policy whole: every word of the file lands in some block', () => {
    const source = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
    const blocks = parseMarkdown(source);
    const words = (s: string) => s.match(/[A-Za-z]{4,}/g) ?? [];
    const flat = (content: { text: string }[]) => content.map((c) => c.text).join(' ');
    const rendered = blocks
      .map((b) => (b.kind === 'table' ? [...b.head, ...b.rows.flat()].map(flat).join(' ') : b.kind === 'list' ? b.items.map(flat).join(' ') : flat(b.content)))
      .join(' ');
    const have = new Set(words(rendered));
    expect(words(source).filter((w) => !have.has(w))).toEqual([]);
    expect(blocks.filter((b) => b.kind === 'table')).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
  });
});
