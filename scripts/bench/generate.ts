/**
 * Generated pages for the benchmark: news-like markup of a given size, with
 * inline elements in most paragraphs and a topic sentence every so often,
 * so size, element count and mention density grow together (about 32
 * elements and 0.75 mentions per KB, the shape of the 4 MB page the outside
 * measurement was first run on).
 */
const FILLER = [
  'Markets opened higher on Tuesday as investors weighed new figures on inflation and jobs.',
  'The committee will meet again next month to review the budget and the transport plan.',
  'Residents said the new bridge had cut their commute by almost half an hour each way.',
  'Analysts expect the weather to stay dry through the weekend across most of the region.',
  'The museum reopened its east wing after two years of restoration work on the roof.',
  'Local schools reported strong results in reading and mathematics for the third year.',
];
const TOPIC = [
  'DeepSeek said its model was trained on Nvidia H800 chips, which fell under US export controls in 2023.',
  'OpenAI alleged distillation of its models, and DeepSeek denied training on their outputs.',
  'Officials argued that the export controls on AI chips had slowed Chinese labs like DeepSeek.',
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** `headings: false`: one section from top to bottom, as in a comment thread, a feed or a long plain document. */
export function generatedPage(bytes: number, title = `Generated ${(bytes / 1e6).toFixed(2)} MB page`, headings = true): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const text = i % 7 === 3 ? TOPIC[i % TOPIC.length]! : FILLER[i % FILLER.length]!;
    const words = esc(text).split(' ');
    // Wrap a few words in inline elements, as real articles do (links, emphasis, spans).
    const marked = words.map((w, k) => (k % 6 === 2 ? `<a href="#n${i}">${w}</a>` : k % 6 === 4 ? `<span class="w">${w}</span>` : w)).join(' ');
    const p =
      headings && i % 25 === 0
        ? `<h2>Section ${i / 25 + 1}</h2>\n<div class="row"><p>${marked}</p></div>\n`
        : `<div class="row"><p>${marked} <em>(${i})</em></p></div>\n`;
    parts.push(p);
    size += p.length;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>\n${parts.join('')}</main></body></html>`;
}
