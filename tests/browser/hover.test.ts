/**
 * Hover against a real page: a resting real pointer opens the card, synthetic
 * events from page script never do, and only ranges we painted are hit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { HoverController, type CardHost } from '../../entrypoints/content/hover';
import { Painter } from '../../entrypoints/content/painter';
import { Scanner, type Mention } from '../../entrypoints/content/scanner';
import { allTopics, index, lifetime, topicIds } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
  document.body.innerHTML = '';
});

interface Setup {
  scanner: Scanner;
  painter: Painter;
  hover: HoverController;
  opened: Mention[];
}

async function setUp(html: string): Promise<Setup> {
  document.body.innerHTML = html;
  const life = lifetime();
  const painter = new Painter(document, topicIds, {});
  const scanner = new Scanner(document, painter);
  const opened: Mention[] = [];
  let current: Mention | null = null;
  const card: CardHost = {
    delayMs: () => 50,
    open: (m) => {
      opened.push(m);
      current = m;
    },
    close: () => {
      current = null;
    },
    isOpen: () => current !== null,
    current: () => current,
    owns: () => false,
    pin: () => undefined,
    isPinned: () => false,
  };
  const hover = new HoverController(life, document, scanner, card, (r) => painter.owns(r));
  cleanups.push(() => {
    life.end();
    scanner.stop();
    painter.destroy();
  });
  await scanner.configure(index, allTopics);
  return { scanner, painter, hover, opened };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function centreOf(m: Mention): { x: number; y: number } {
  const r = document.createRange();
  r.setStart(m.range.startContainer, m.range.startOffset);
  r.setEnd(m.range.endContainer, m.range.endOffset);
  const box = r.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}

describe('HoverController', () => {
  it('opens the card when a real pointer rests on a mention', async () => {
    const { opened, scanner } = await setUp('<p style="font-size:32px"><span id="m">DeepSeek</span></p>');
    await userEvent.hover(document.getElementById('m')!);
    await sleep(300);
    expect(opened.map((m) => m.text)).toEqual(['DeepSeek']);
    expect(opened[0]).toBe(scanner.mentions()[0]);
  });

  it('ignores pointer events dispatched by page script', async () => {
    const { opened, scanner } = await setUp('<p style="font-size:32px">DeepSeek</p>');
    const { x, y } = centreOf(scanner.mentions()[0]!);
    const target = document.querySelector('p')!;
    for (let i = 0; i < 20; i++) {
      target.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true, clientX: x, clientY: y, pointerType: 'mouse' }));
      await sleep(10);
    }
    await sleep(300);
    expect(opened).toEqual([]);
  });

  it('hit-tests only ranges it painted, not ones a page added to its highlight', async () => {
    const { hover, painter, scanner } = await setUp('<p style="font-size:32px">DeepSeek here.</p><p id="bait" style="font-size:32px">Innocent words here.</p>');
    const mention = scanner.mentions()[0]!;
    const at = centreOf(mention);
    expect(hover.hitTest(at.x, at.y, document.querySelector('p'))).toBe(mention);

    const bait = document.getElementById('bait')!.firstChild as Text;
    const foreign = new StaticRange({ startContainer: bait, startOffset: 0, endContainer: bait, endOffset: 8 });
    CSS.highlights.get(painter.names().deepseek!)!.add(foreign);
    const r = document.createRange();
    r.setStart(bait, 0);
    r.setEnd(bait, 8);
    const box = r.getBoundingClientRect();
    expect(hover.hitTest(box.left + box.width / 2, box.top + box.height / 2, bait.parentElement)).toBeNull();
  });
});
