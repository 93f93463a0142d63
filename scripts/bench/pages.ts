/**
 * The pages the benchmark runs on, written to a temporary folder served from
 * 127.0.0.1: the saved real pages of the outside corpus (scripts stripped,
 * with topic paragraphs of our own injected at five places, and as saved),
 * generated pages of 0.25 to 16 MB, and a page with 30 small cross-origin
 * frames.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedPage } from './generate';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Topic paragraphs of our own (the demo article's). */
export function topicParagraphs(root: string): string[] {
  return [...readFileSync(join(root, 'tests/fixtures/demo-article.html'), 'utf8').matchAll(/<p>([^<]{80,})<\/p>/g)].map((m) => m[1]!);
}

function withTopicText(html: string, paras: string[]): string {
  const chunks = [0, 1, 2, 3, 4].map(
    (i) =>
      `<p>${paras
        .slice(i * 3, i * 3 + 3)
        .map(escapeHtml)
        .join('</p><p>')}</p>`,
  );
  let n = 0;
  let used = 0;
  // After the 1st, 5th, 15th, 40th and 80th closing </p>, or at the end of <body>.
  const marks = new Set([1, 5, 15, 40, 80]);
  const injected = html.replace(/<\/p>/gi, (m) => {
    n++;
    return marks.has(n) ? `${m}${chunks[used++] ?? ''}` : m;
  });
  const rest = chunks.slice(used).join('');
  return injected.replace(/<\/body>/i, `${rest}</body>`) + (/<\/body>/i.test(injected) ? '' : rest);
}

export interface BenchPages {
  dir: string;
  real: string[];
  /** The same real pages without our topic paragraphs (`saved-<file>`). */
  asSaved: string[];
  generated: { file: string; mb: number }[];
  /** The page with 30 frames; its frames are served from another origin (`frameOrigin` placeholder). */
  frames: string;
  /**
   * The e2e suite's extreme pages (tests/fixtures/hostile), built by their own
   * script as they load: one 10 MB text node, 100,000 text nodes, over
   * 10,000 mentions. `mb`: the text each builds, roughly.
   */
  extreme: { file: string; mb: number }[];
  /**
   * Generated pages of other shapes: the 4 MB page without its headings (one
   * section of thousands of mentions), and one paragraph of 100,000 spans
   * (one block of thousands of elements, 2,000 of them holding a mention).
   */
  shapes: { file: string; mb: number }[];
}

const EXTREME = [
  { name: 'big-text', mb: 10 },
  { name: 'many-nodes', mb: 1 },
  { name: 'many-mentions', mb: 1 },
];

export const GENERATED_MB = [0.25, 1, 4, 16];

export function writeBenchPages(root: string, realPagesDir: string | null): BenchPages {
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-'));
  const paras = topicParagraphs(root);
  const real: string[] = [];
  const asSaved: string[] = [];
  for (const file of realPagesDir ? readdirSync(realPagesDir).filter((f) => f.endsWith('.html')) : []) {
    // Scripts stripped, so the saved pages do not run their own code against a missing network.
    const html = readFileSync(join(realPagesDir!, file), 'utf8').replace(/<script\b[\s\S]*?<\/script>/gi, '');
    writeFileSync(join(dir, file), withTopicText(html, paras));
    real.push(file);
    // And as saved, with none of our topic text: most pages a reader opens never mention the topics.
    writeFileSync(join(dir, `saved-${file}`), html);
    asSaved.push(`saved-${file}`);
  }
  const generated = GENERATED_MB.map((mb) => {
    const file = `generated-${mb}mb.html`;
    writeFileSync(join(dir, file), generatedPage(mb * 1e6));
    return { file, mb };
  });
  // 30 frames: ads and embeds, a line of text or none, from another origin.
  const frameBodies = [
    '<div style="font:12px sans-serif">Advertisement</div>',
    '<div style="width:300px;height:250px;background:#eee"></div>',
    '<p style="font:12px sans-serif">Sponsored: the best running shoes of the year.</p>',
  ];
  for (let i = 0; i < 3; i++)
    writeFileSync(join(dir, `frame-${i}.html`), `<!doctype html><html><head><meta charset="utf-8"></head><body>${frameBodies[i]}</body></html>`);
  const frames = Array.from(
    { length: 30 },
    (_, i) => `<iframe src="FRAME_ORIGIN/frame-${i % 3}.html" width="300" height="${i % 3 === 1 ? 250 : 60}" title="ad ${i}" style="border:0"></iframe>`,
  ).join('\n');
  writeFileSync(
    join(dir, 'frames.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>30 frames</title></head><body><h1>A page of embeds</h1><p>${escapeHtml(paras[0]!)}</p>${frames}</body></html>`,
  );
  const hostile = join(root, 'tests/fixtures/hostile');
  copyFileSync(join(hostile, 'monitor.js'), join(dir, 'monitor.js'));
  const extreme = EXTREME.map(({ name, mb }) => {
    const file = `extreme-${name}.html`;
    copyFileSync(join(hostile, `${name}.html`), join(dir, file));
    return { file, mb };
  });
  const shapes = [
    { file: 'generated-4mb-no-headings.html', mb: 4 },
    { file: 'generated-100k-spans.html', mb: 2 },
  ];
  writeFileSync(join(dir, shapes[0]!.file), generatedPage(4e6, 'Generated 4 MB page without headings', false));
  const spans = Array.from({ length: 100_000 }, (_, i) => `<span>${i % 50 === 0 ? 'DeepSeek' : 'word'} </span>`).join('');
  writeFileSync(
    join(dir, shapes[1]!.file),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>One paragraph of 100,000 spans</title></head><body><h1>Spans</h1><p>${spans}</p></body></html>`,
  );
  return { dir, real, asSaved, generated, frames: 'frames.html', extreme, shapes };
}
