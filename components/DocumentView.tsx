/**
 * A document parsed by lib/markdown (the privacy policy), rendered as
 * text: no HTML from the source ever reaches the page.
 */
import type { JSX } from 'preact';
import type { Block, Inline } from '@/lib/markdown';

function Inlines({ content }: { content: Inline[] }): JSX.Element {
  return (
    <>
      {content.map((part, i) => {
        switch (part.kind) {
          case 'code':
            return <code key={i}>{part.text}</code>;
          case 'strong':
            return <strong key={i}>{part.text}</strong>;
          case 'link':
            return (
              <a key={i} href={part.href} target={part.href.startsWith('#') ? undefined : '_blank'} rel="noreferrer">
                {part.text}
              </a>
            );
          default:
            return part.text;
        }
      })}
    </>
  );
}

export function DocumentView({ blocks }: { blocks: Block[] }): JSX.Element {
  return (
    <main class="options document">
      {blocks.map((block, i) => {
        switch (block.kind) {
          case 'heading': {
            const Tag = `h${block.level}` as 'h1' | 'h2' | 'h3';
            return (
              <Tag key={i}>
                <Inlines content={block.content} />
              </Tag>
            );
          }
          case 'paragraph':
            return (
              <p key={i}>
                <Inlines content={block.content} />
              </p>
            );
          case 'list':
            return (
              <ul key={i}>
                {block.items.map((item, j) => (
                  <li key={j}>
                    <Inlines content={item} />
                  </li>
                ))}
              </ul>
            );
          case 'table':
            return (
              <div key={i} class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      {block.head.map((cell, j) => (
                        <th key={j} scope="col">
                          <Inlines content={cell} />
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {block.rows.map((row, j) => (
                      <tr key={j}>
                        {row.map((cell, k) => (
                          <td key={k}>
                            <Inlines content={cell} />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
        }
      })}
    </main>
  );
}
