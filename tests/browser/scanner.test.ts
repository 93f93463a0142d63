/**
 * The scanner against a real DOM: full passes, incremental updates and caps.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import dataset from '../../lib/dataset/dataset.json';
import type { Dataset } from '../../lib/dataset/schema';
import type { TermIndex } from '../../lib/protocol';
import { buildTermIndex } from '../../lib/term-index';
import { MAX_PER_BLOCK } from '../../lib/limits';
import { compileMatcher, resolveBlock, scanBlock } from '../../lib/matcher';
import { Painter } from '../../entrypoints/content/painter';
import { Scanner, type ScannerOptions } from '../../entrypoints/content/scanner';
import { SLICE_MS } from '../../entrypoints/content/schedule';
import { PAGE_SWEEP_DELAYS_MS, SWEEP_DELAYS_MS, ShadowSweep } from '../../entrypoints/content/shadow-sweep';

const data = dataset as Dataset;
const index: TermIndex = buildTermIndex(data.version, data.topics, data.cues);
const allTopics = new Set(data.topics.map((t) => t.id));

let scanner: Scanner | null = null;
let painter: Painter | null = null;
afterEach(() => {
  scanner?.stop();
  painter?.destroy();
  scanner = null;
  document.body.innerHTML = '';
});

function createScanner(options: ScannerOptions = {}): Scanner {
  painter = new Painter(
    document,
    index.topics.map((t) => t.id),
    {},
  );
  scanner = new Scanner(document, painter, options);
  return scanner;
}

const frame = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0)));

/**
 * Waits until the scanner's findings stop changing for a few frames. Each
 * frame also waits out a turn in progress: a turn starts only once the page
 * has rendered and gone idle (whenIdle), a few frames after a change.
 */
async function settled(s: Scanner): Promise<string[]> {
  let last = '';
  let stable = 0;
  for (let i = 0; i < 200 && stable < 5; i++) {
    await frame();
    await s.idle();
    const now = JSON.stringify(s.findings().findings.map((f) => f.text));
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return s.findings().findings.map((f) => f.text);
}

async function start(html: string, options: ScannerOptions = {}): Promise<Scanner> {
  document.body.innerHTML = html;
  const s = createScanner(options);
  await s.configure(index, allTopics);
  return s;
}

describe('what counts', () => {
  it('keeps no mention a reader cannot see: not rendered, transparent, invisible, or clipped away as screen-reader-only text', async () => {
    const s = await start(`
      <p>DeepSeek is visible.</p>
      <p style="display:none">DeepSeek hidden</p>
      <p style="opacity:0">DeepSeek transparent</p>
      <p style="visibility:hidden">DeepSeek invisible</p>
      <p>Read more <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap">about DeepSeek</span></p>
      <p>Also <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)">DeepSeek clipped by a path</span></p>
      <p><a href="#" style="position:absolute;left:-9999px">DeepSeek skip link moved off the page</a></p>`);
    expect(await settled(s)).toEqual(['DeepSeek']);
  });
});

describe('what counts, with boxes of no size', () => {
  it('keeps a mention whose text sits in an element of display: contents, as its parent draws it, unless that is hidden', async () => {
    const s = await start(`
      <p><span style="display:contents">DeepSeek</span> inside a wrapper with no box.</p>
      <div style="display:contents">Export controls as a wrapper's own text.</div>
      <div style="display:none"><span style="display:contents">Knowledge distillation hidden with its parent.</span></div>`);
    expect(await settled(s)).toEqual(['DeepSeek', 'Export controls']);
  });
});

describe('text the page shows later', () => {
  it('keeps a mention once its hidden text is shown by a style, when looked at again, and not before', async () => {
    const s = await start(`
      <p>DeepSeek is visible.</p>
      <div class="tab" style="display:none"><p>Then export controls in a tab.</p></div>
      <p id="faded" style="opacity:0">And knowledge distillation faded in.</p>`);
    expect(await settled(s)).toEqual(['DeepSeek']);
    // Nothing changed: looking again finds nothing new.
    s.recheck();
    expect(await settled(s)).toEqual(['DeepSeek']);
    (document.querySelector('.tab') as HTMLElement).style.display = 'block';
    document.getElementById('faded')!.style.opacity = '1';
    // A style is no DOM change: the observer says nothing until the scanner looks again.
    expect(await settled(s)).toEqual(['DeepSeek']);
    s.recheck();
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls', 'knowledge distillation']);
  });

  it('reads a page a consent dialog hid with aria-hidden once the dialog goes, and lets go of text made editable', async () => {
    const s = await start(
      '<div id="app" aria-hidden="true"><p>DeepSeek in the article.</p><p id="post">Then export controls.</p></div><div role="dialog">Accept cookies</div>',
    );
    expect(await settled(s)).toEqual([]);
    document.getElementById('app')!.removeAttribute('aria-hidden');
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls']);
    // An editor turned on where the reader was reading: its text is the reader's to edit now.
    document.getElementById('post')!.contentEditable = 'true';
    expect(await settled(s)).toEqual(['DeepSeek']);
    document.getElementById('post')!.contentEditable = 'false';
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls']);
  });

  it('reads a details element the reader opens at once, with no look again', async () => {
    const s = await start('<p>DeepSeek first.</p><details><summary>More</summary><p>Then export controls.</p></details>');
    expect(await settled(s)).toEqual(['DeepSeek']);
    document.querySelector('details')!.open = true;
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls']);
  });

  it('reads a page faded in as a whole, though it hides more mentions than are remembered one by one', async () => {
    const paragraphs = Array.from({ length: 300 }, (_, i) => `<p>Paragraph ${i}: DeepSeek.</p>`).join('');
    const s = await start(`<div id="all" style="opacity:0">${paragraphs}</div>`);
    expect(await settled(s)).toEqual([]);
    document.getElementById('all')!.style.opacity = '1';
    s.recheck();
    expect(await settled(s)).toHaveLength(300);
  });

  it('leaves a document in design mode alone, as an editor, and reads it once it leaves design mode', async () => {
    const s = await start('<p>DeepSeek in an editor.</p>');
    expect(await settled(s)).toEqual(['DeepSeek']);
    document.designMode = 'on';
    try {
      s.recheck();
      expect(await settled(s)).toEqual([]);
      // Text typed in design mode is not read either.
      document.body.insertAdjacentHTML('beforeend', '<p>Then export controls.</p>');
      expect(await settled(s)).toEqual([]);
    } finally {
      document.designMode = 'off';
    }
    s.recheck();
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls']);
  });

  it('reads text when the page takes its hidden attribute off, and splits no word it hid inside', async () => {
    const s = await start(
      '<p>DeepSeek first.</p><div id="more" hidden><p>Then export controls, read on.</p></div><p id="word">Deep<span hidden>er</span>Seek here.</p>',
    );
    expect(await settled(s)).toEqual(['DeepSeek', 'DeepSeek']);
    document.getElementById('more')!.removeAttribute('hidden');
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls', 'DeepSeek']);
    // Shown, the hidden letters part the name: "DeeperSeek" names nothing.
    document.querySelector('#word span')!.removeAttribute('hidden');
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls']);
    // Hidden again, the name is whole again.
    document.querySelector('#word span')!.setAttribute('hidden', '');
    expect(await settled(s)).toEqual(['DeepSeek', 'export controls', 'DeepSeek']);
    // A block hidden again holds no mention a reader can see.
    document.getElementById('more')!.setAttribute('hidden', '');
    expect(await settled(s)).toEqual(['DeepSeek', 'DeepSeek']);
  });
});

describe('what the page is about', () => {
  it('marks a bare model name when a heading names DeepSeek, and not on a page that never does', async () => {
    let s = await start('<h1>DeepSeek’s new model</h1><p>The cost to train V3 was low.</p>');
    expect(await settled(s)).toEqual(['DeepSeek', 'V3']);
    s.stop();
    s = await start('<h1>New engines</h1><p>The cost to train V3 was low.</p>');
    expect(await settled(s)).toEqual([]);
  });

  it('takes the page’s title into account', async () => {
    const title = document.title;
    document.title = 'Inside DeepSeek';
    try {
      const s = await start('<p>The hosted version of R1 is slower.</p>');
      expect(await settled(s)).toEqual(['R1']);
    } finally {
      document.title = title;
    }
  });

  it('goes back to a bare name met before the page named DeepSeek often enough', async () => {
    const s = await start('<p>Build R1 on top of V3.</p><p>DeepSeek did.</p><p>DeepSeek said so.</p><p>DeepSeek again.</p>');
    expect(await settled(s)).toEqual(['R1', 'V3', 'DeepSeek', 'DeepSeek', 'DeepSeek']);
  });
});

describe('a page that holds no term', () => {
  it('is not walked; a term added later is found, judged by the cues of the whole page', async () => {
    // "export controls" needs a cue about chips somewhere on the page: here only in the heading.
    const s = await start('<h1>Nvidia chips are scarce</h1><p>Prices rose again this week.</p>');
    expect(await settled(s)).toEqual([]);
    expect(s.holdsNoTerm).toBe(true);
    expect(s.state).toBe('done');
    const p = document.createElement('p');
    p.textContent = 'New export controls took effect on Monday.';
    document.body.append(p);
    await expect.poll(() => s.findings().findings.map((f) => f.text), { timeout: 3000 }).toEqual(['export controls']);
    expect(s.holdsNoTerm).toBe(false);
  });

  it('holds no term when the names it prints sit inside longer words, and is read once a whole name comes', async () => {
    // Read natively, the text holds "v4", "r1" and "bis"; the walk's own words do not.
    const s = await start('<h2>Toyota RAV4 review</h2><p>Bar1 pricing and the bishop of Durham.</p><p>Bay R10 opens at 9.</p>');
    expect(await settled(s)).toEqual([]);
    expect(s.holdsNoTerm).toBe(true);
    const p = document.createElement('p');
    p.textContent = 'DeepSeek released R1 in January.';
    document.body.append(p);
    await expect.poll(() => s.findings().findings.map((f) => f.text), { timeout: 3000 }).toEqual(['DeepSeek', 'R1']);
    expect(s.holdsNoTerm).toBe(false);
  });

  it('asks of a root with a long text through the walk, a window at a time, and finds a term across a window’s end', async () => {
    // Built by script, as a feed or a web app builds its text: no byte count says it is large.
    const filler = 'Plain words for a long page. '.repeat(2000);
    const s = await start(`<p id="p"></p>`);
    await settled(s);
    const p = document.getElementById('p')!;
    p.append(document.createTextNode(filler + filler));
    await settled(s);
    expect(s.findings().total).toBe(0);
    // The name across the end of the first window of 32,768 characters.
    const text = filler + filler;
    p.textContent = `${text.slice(0, 32_768 - 5)} DeepSeek ${text.slice(32_768 + 5)}`;
    expect(await settled(s)).toEqual(['DeepSeek']);
  });

  it('reads a word the walk joins across a skipped inline element that holds text', async () => {
    // textContent reads "Deep·Seek"; the walk leaves the hidden dot out and reads "DeepSeek".
    const s = await start('<p>Deep<span aria-hidden="true">·</span>Seek released a model.</p>');
    expect(await settled(s)).toEqual(['DeepSeek']);
    expect(s.holdsNoTerm).toBe(false);
  });

  it('finds a term in an open shadow root in its first pass, though the page around it holds none', async () => {
    document.body.innerHTML = '<p>Nothing here.</p><div id="host"></div>';
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<p>DeepSeek in a shadow root.</p>';
    const s = createScanner();
    await s.configure(index, allTopics);
    // Settled well before the late-root sweep's first look, a second after the pass.
    expect(await settled(s)).toEqual(['DeepSeek']);
  });

  it('asks the gate with the forms the index carries, only when the same matcher code worked them out', async () => {
    document.body.innerHTML = '<p>DeepSeek released a model.</p>';
    // Forms that name nothing on this page: used, the page holds no term by them…
    const planted = (build: string): TermIndex => ({ ...index, forms: { build, byTopic: Object.fromEntries(index.topics.map((t) => [t.id, [['zebra']]])) } });
    const s = createScanner();
    await s.configure(planted(index.forms!.build), allTopics);
    expect(await settled(s)).toEqual([]);
    expect(s.holdsNoTerm).toBe(true);
    // …but forms from other code are not, and the terms are worked out afresh.
    await s.configure(planted('an older build'), allTopics);
    expect(await settled(s)).toEqual(['DeepSeek']);
  });

  it('holds no term when the topics it names are turned off, and is read again when they are turned on', async () => {
    const s = await start('<p>DeepSeek released a model.</p>');
    await s.configure(index, new Set(['distillation']));
    expect(await settled(s)).toEqual([]);
    expect(s.holdsNoTerm).toBe(true);
    await s.configure(index, allTopics);
    expect(await settled(s)).toEqual(['DeepSeek']);
    expect(s.holdsNoTerm).toBe(false);
  });
});

describe('a page-wide pass', () => {
  /** The distinct ranges over `text` in the registered highlights: what the page shows. */
  const shown = (text: string) => {
    const seen = new Set<AbstractRange>();
    const textOf = (r: AbstractRange) => (r.startContainer === r.endContainer ? (r.startContainer as Text).data.slice(r.startOffset, r.endOffset) : '');
    for (const h of CSS.highlights.values()) for (const r of h as Highlight) if (textOf(r) === text) seen.add(r);
    return seen;
  };

  it('leaves the highlights of topics still on in place until it paints its own, and takes a topic turned off away before that', async () => {
    // Long enough that the pass runs over many slices, with the page's tasks between them.
    const para = `<p>DeepSeek trained it on chips the export controls cover. ${'Other words on other things fill the page. '.repeat(30)}</p>`;
    const s = await start(para.repeat(1500));
    await settled(s);
    const old = shown('DeepSeek');
    expect(old.size).toBe(1500);
    expect(shown('export controls').size).toBe(1500);

    // What the page shows at each frame while the pass runs.
    let fewest = Infinity;
    let offBeforePaint = false;
    let looking = true;
    const look = () => {
      const now = shown('DeepSeek');
      fewest = Math.min(fewest, now.size);
      if (!shown('export controls').size && [...now].every((r) => old.has(r))) offBeforePaint = true;
      if (looking) requestAnimationFrame(look);
    };
    const pass = s.configure(index, new Set(['deepseek', 'distillation']));
    look();
    await pass;
    looking = false;
    expect(fewest, 'DeepSeek highlights on screen at the pass’s worst moment').toBe(1500);
    expect(offBeforePaint, 'the topic turned off was gone while the old highlights still showed').toBe(true);
    await settled(s);
    // The old ranges went when the new ones came: none is left twice.
    const after = shown('DeepSeek');
    expect(after.size).toBe(1500);
    expect([...after].some((r) => old.has(r))).toBe(false);
    expect(shown('export controls').size).toBe(0);
  });

  it('on a page left with no term for the topics on, takes the old highlights away', async () => {
    const s = await start('<p>DeepSeek trained it on chips the export controls cover.</p>');
    await settled(s);
    document.querySelector('p')!.textContent = 'Nothing to see.';
    await s.configure(index, allTopics);
    await settled(s);
    expect(shown('DeepSeek').size).toBe(0);
  });
});

describe('shadow roots', () => {
  it('finds a shadow root attached after the pass to an element already scanned, and text added to it later', async () => {
    const s = await start('<p>Nothing here.</p><div id="host"></div>');
    expect(await settled(s)).toEqual([]);
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>DeepSeek inside a late root.</p>';
    await expect.poll(() => s.findings().findings.map((f) => f.text), { timeout: 5000 }).toEqual(['DeepSeek']);
    const p = document.createElement('p');
    p.textContent = 'DeepSeek added later.';
    root.append(p);
    await expect.poll(() => s.findings().total, { timeout: 3000 }).toBe(2);
  });

  it('looks again long after a page-wide pass, for a widget whose definition loads late', async () => {
    // A custom element upgraded late attaches its root with no change to the light DOM.
    const s = await start('<p>Nothing here.</p><late-widget></late-widget>', { pageSweepDelaysMs: [100, 200, 1500] });
    expect(await settled(s)).toEqual([]);
    await new Promise((done) => setTimeout(done, 600));
    expect(s.findings().total).toBe(0);
    document.querySelector('late-widget')!.attachShadow({ mode: 'open' }).innerHTML = '<p>DeepSeek in a widget upgraded late.</p>';
    await expect.poll(() => s.findings().findings.map((f) => f.text), { timeout: 3000 }).toEqual(['DeepSeek']);
  });

  it('sweeps the page for a minute after a page-wide pass, and a changed subtree for seconds', async () => {
    const schedule = vi.spyOn(ShadowSweep.prototype, 'schedule');
    try {
      const s = await start('<p>DeepSeek on the page.</p>');
      expect(await settled(s)).toEqual(['DeepSeek']);
      expect(schedule.mock.calls.map((call) => call[1])).toEqual([PAGE_SWEEP_DELAYS_MS]);
      expect(Math.max(...PAGE_SWEEP_DELAYS_MS)).toBeGreaterThanOrEqual(60_000);
      const p = document.createElement('p');
      p.textContent = 'DeepSeek added.';
      document.body.append(p);
      await expect.poll(() => s.findings().total).toBe(2);
      await expect.poll(() => schedule.mock.calls.length).toBe(2);
      expect(schedule.mock.calls[1]![1] ?? SWEEP_DELAYS_MS).toEqual(SWEEP_DELAYS_MS);
    } finally {
      schedule.mockRestore();
    }
  });

  it('finds a late root nested inside a root it already knows', async () => {
    document.body.innerHTML = '<div id="outer"></div>';
    const outer = document.getElementById('outer')!.attachShadow({ mode: 'open' });
    outer.innerHTML = '<p>Outer text.</p><span id="inner"></span>';
    const s = createScanner();
    await s.configure(index, allTopics);
    expect(await settled(s)).toEqual([]);
    outer.getElementById('inner')!.attachShadow({ mode: 'open' }).innerHTML = '<p>DeepSeek, two roots down.</p>';
    await expect.poll(() => s.findings().total, { timeout: 5000 }).toBe(1);
  });
});

describe('first mentions', () => {
  const firsts = (s: Scanner) =>
    s
      .mentions()
      .filter((m) => painter!.isFirst(m.topicId, m.range))
      .map((m) => m.startNode.parentElement!.id);

  it('draws the first mention of each section strongly as the page changes: a removed first hands over, a mention added before takes over', async () => {
    const s = await start('<h2>One</h2><p id="a">DeepSeek a</p><p id="b">DeepSeek b</p><h2>Two</h2><p id="c">DeepSeek c</p><p id="d">DeepSeek d</p>');
    await settled(s);
    expect(firsts(s)).toEqual(['a', 'c']);
    document.getElementById('a')!.remove();
    await settled(s);
    expect(firsts(s)).toEqual(['b', 'c']);
    document.getElementById('d')!.insertAdjacentHTML('beforebegin', '<p id="e">DeepSeek e</p>');
    document.getElementById('c')!.insertAdjacentHTML('beforebegin', '<p id="f">DeepSeek f</p>');
    await settled(s);
    expect(s.mentions().map((m) => m.startNode.parentElement!.id)).toEqual(['b', 'f', 'c', 'e', 'd']);
    expect(firsts(s)).toEqual(['b', 'f']);
  });

  it('paints thousands of mentions on a page without headings without comparing their positions in the DOM', async () => {
    // One section holds them all: comparing each new mention with its
    // section's first cost a walk over the siblings between them.
    document.body.innerHTML = Array.from({ length: 2000 }, (_, i) => `<div><p id="p${i}">DeepSeek note ${i}.</p></div>`).join('');
    const compare = Node.prototype.compareDocumentPosition;
    let comparisons = 0;
    Node.prototype.compareDocumentPosition = function (this: Node, other: Node) {
      comparisons++;
      return compare.call(this, other);
    };
    try {
      const s = createScanner();
      await s.configure(index, allTopics);
      await settled(s);
      expect(s.findings().total).toBe(2000);
      expect(firsts(s)).toEqual(['p0']);
    } finally {
      Node.prototype.compareDocumentPosition = compare;
    }
    expect(comparisons).toBeLessThan(20);
  });
});

/**
 * Runs `body` on a clock of the test's own, where every reading moves it a
 * quarter of a millisecond and the calls `charge` stands for move it more:
 * `charge(advance)` patches them and returns what undoes the patch. Returns
 * the clock time of each task of ours, from its start to the pause that
 * ends it (a `scheduler.yield()`, or a plain task that yieldToPage hops
 * through now and then), and what `body` returned.
 */
async function onTaskClock<T>(charge: (advance: (ms: number) => void) => () => void, body: () => Promise<T>): Promise<{ tasks: number[]; result: T }> {
  let clock = 0;
  const now = performance.now;
  const idle = window.requestIdleCallback;
  const scheduler = (globalThis as unknown as { scheduler: { yield(): Promise<void> } }).scheduler;
  const yieldTo = scheduler.yield;
  const Channel = window.MessageChannel;
  let began = 0;
  const tasks: number[] = [];
  performance.now = () => (clock += 0.25);
  const uncharge = charge((ms) => (clock += ms));
  window.requestIdleCallback = (callback, options) =>
    idle.call(
      window,
      (deadline) => {
        began = clock;
        callback(deadline);
      },
      options,
    );
  scheduler.yield = function (this: unknown) {
    tasks.push(clock - began);
    return yieldTo.call(this).then(() => {
      began = clock;
    });
  };
  window.MessageChannel = class extends Channel {
    constructor() {
      super();
      tasks.push(clock - began);
      this.port1.addEventListener('message', () => (began = clock));
    }
  };
  try {
    return { tasks, result: await body() };
  } finally {
    performance.now = now;
    uncharge();
    window.requestIdleCallback = idle;
    scheduler.yield = yieldTo;
    window.MessageChannel = Channel;
  }
}

/** A `charge` for onTaskClock: every call of `target[name]` costs `ms` of the clock. */
function costs(target: object, name: string, ms: number): (advance: (ms: number) => void) => () => void {
  return (advance) => {
    const methods = target as Record<string, (...args: unknown[]) => unknown>;
    const original = methods[name]!;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      advance(ms);
      return original.apply(this, args);
    };
    return () => void (methods[name] = original);
  };
}

describe('slices', () => {
  it('gives a turn one budget: the compile after a gate read goes on in the read’s slice, not in a fresh one in the same task', async () => {
    // The gate's native read (the XPath search that decides it reads at once) costs six milliseconds.
    const { tasks, result } = await onTaskClock(costs(Document.prototype, 'evaluate', 6), async () =>
      settled(await start('<p>DeepSeek trained its model on chips bought before the export controls.</p>')),
    );
    expect(result).toEqual(['DeepSeek', 'export controls']);
    // The read and the compile together outrun one budget on this clock, so there is a pause to look at.
    expect(tasks.length).toBeGreaterThan(0);
    // Past the budget by at most the clock readings of one step, and the one
    // yieldToPage makes to choose its hop.
    expect(Math.max(...tasks)).toBeLessThanOrEqual(SLICE_MS + 1.25);
  });

  it('pauses between the segments of a batch dense with mentions once the budget is spent, and finds the same', async () => {
    // Every visibility check (one per paragraph that holds a mention) costs
    // two milliseconds. Forty such paragraphs fit in the walk's first batch:
    // 80 ms of checks.
    const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>DeepSeek ${i}.</p>`).join('');
    const { tasks, result } = await onTaskClock(costs(Element.prototype, 'checkVisibility', 2), async () => settled(await start(paragraphs)));
    expect(result).toEqual(Array.from({ length: 40 }, () => 'DeepSeek'));
    // Past the budget by at most one paragraph's check and the clock readings around it.
    expect(Math.max(...tasks)).toBeLessThanOrEqual(SLICE_MS + 4);
    // Eighty milliseconds of checks on this clock: at least ten pauses.
    expect(tasks.length).toBeGreaterThanOrEqual(10);
  });
});

describe('incremental updates', () => {
  it('rescans the whole block when a node inside an inline element is removed', async () => {
    const s = await start('<p id="p">DeepSeek shipped. <b>DeepSeek again <i id="i">now</i></b> and more.</p>');
    expect(await settled(s)).toEqual(['DeepSeek', 'DeepSeek']);
    document.getElementById('i')!.remove();
    expect(await settled(s)).toEqual(['DeepSeek', 'DeepSeek']);
    expect(s.findings().total).toBe(2);
  });

  it('sees text changed while the first full pass is still running', async () => {
    document.body.innerHTML = '<p id="first">Nothing here.</p><div id="host"></div><p>More text.</p>';
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<p>Inside a shadow root.</p>';
    // The pass reports the shadow root when its walk reaches it, after the
    // first paragraph: change that paragraph at exactly that moment.
    const s = createScanner({
      onShadowRoot: () => {
        document.getElementById('first')!.textContent = 'DeepSeek arrived mid-scan.';
      },
    });
    await s.configure(index, allTopics);
    expect(await settled(s)).toEqual(['DeepSeek']);
  });

  it('reads a paragraph too long for one slice a window at a time, and finds what the matcher finds in it at once', async () => {
    // Terms whose rules are settled inside the paragraph (R1 needs DeepSeek
    // there, distillation an AI cue, an export ban chips; "distil the
    // essence" is figurative, by a cue just after it), with cue hits in every
    // window. A heading longer than that "just after" puts the paragraph at
    // an offset of its batch, so hits placed by the batch's offsets would fall
    // out of reach.
    const unit = 'DeepSeek said R1 was trained on Nvidia chips by distillation of an AI model, before an export ban. Editors distil the essence. ';
    const text = unit.repeat(Math.ceil(200_000 / unit.length));
    const s = await start(`<h1>Notes on AI chips, and on the models trained on them</h1><p id="huge">${text}</p>`);
    await settled(s);
    const matcher = compileMatcher(index.spec);
    const expected = resolveBlock(scanBlock(matcher, text), { has: () => false }).map((c) => text.slice(c.start, c.end));
    expect(expected.length).toBeGreaterThan(MAX_PER_BLOCK);
    expect(new Set(expected)).toEqual(new Set(['DeepSeek', 'R1', 'distillation', 'export ban']));
    const f = s.findings();
    expect(f.total).toBe(expected.length);
    // Kept in order, each where its words are: the first MAX_PER_BLOCK of them.
    expect(f.findings.map((x) => x.text)).toEqual(expected.slice(0, MAX_PER_BLOCK));
    expect(s.capped).toBe(true);
  });

  it('finds a term cut by a window’s end whole, once: Chinese text, with no space to cut at', async () => {
    // Windows of text without spaces end wherever their size says, so some cut through a name.
    // Thirteen characters, so that cuts at multiples of 1,024 fall at every place in a unit in turn.
    const unit = '梁文锋谈了知识蒸馏的问题。';
    const units = Math.ceil(200_000 / unit.length);
    const text = unit.repeat(units);
    const s = await start(`<p id="huge">${text}</p>`);
    await settled(s);
    const expected = resolveBlock(scanBlock(compileMatcher(index.spec), text), { has: () => false });
    expect(expected.length).toBe(2 * units);
    expect(s.findings().total).toBe(expected.length);
  });

  it('applies the per-block cap to blocks added later too', async () => {
    const s = await start('<p>Start.</p>');
    const p = document.createElement('p');
    p.textContent = Array.from({ length: 700 }, () => 'DeepSeek').join(' ');
    document.body.append(p);
    await settled(s);
    const f = s.findings();
    expect(f.total).toBe(700);
    expect(f.findings.length).toBe(500);
    expect(s.capped).toBe(true);
  });
});

describe('a pruned walk', () => {
  const pages = import.meta.glob('../fixtures/{labeled,hostile,card-choice}/*.html', { query: '?raw', import: 'default', eager: true }) as Record<
    string,
    string
  >;
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `<div><p>Residents said the new bridge had cut their commute, item ${i}.</p></div>`).join('');

  /** What a scanner finds once its first pass is done (`configure` resolves then). */
  async function found(html: string, pruneAfterChars: number) {
    const s = await start(html, { pruneAfterChars });
    await s.idle();
    const { findings, byTopic, total } = s.findings();
    s.stop();
    return { texts: findings.map((f) => `${f.topicId}: ${f.text} | ${f.sentence}`), byTopic, total };
  }

  it('finds what a full walk finds, on every fixture page', async () => {
    let mentions = 0;
    for (const [name, html] of Object.entries(pages)) {
      const body = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
      const full = await found(body, Infinity);
      expect(await found(body, 0), name).toEqual(full);
      mentions += full.total;
    }
    expect(Object.keys(pages).length).toBeGreaterThan(20);
    expect(mentions).toBeGreaterThan(300);
  });

  it('still counts the cues of paragraphs that hold no term: what the page needs, and what it is about', async () => {
    // "export controls" takes its required cue ("chips") from anywhere on the page…
    const needs = `<p>The new export controls took effect on Monday.</p>${filler(20)}<div><p>Nvidia sells the chips.</p></div>`;
    // …unless the page is about a veto (arms, three times over) and not about chips.
    const vetoed = `${needs}${filler(5)}<div><p>More weapons went out.</p></div>${filler(5)}<div><p>The munitions left.</p></div><div><p>Artillery too.</p></div>`;
    for (const pruneAfterChars of [0, Infinity]) {
      expect(
        (await found(needs, pruneAfterChars)).texts.map((t) => t.split(' | ')[0]),
        String(pruneAfterChars),
      ).toEqual(['export-controls: export controls']);
      expect((await found(vetoed, pruneAfterChars)).total, String(pruneAfterChars)).toBe(0);
    }
  });

  it('finds a term in a shadow root whose host sits in a paragraph it skips, in its first pass', async () => {
    document.title = '';
    const s = createScanner({ pruneAfterChars: 0 });
    document.body.innerHTML = `<p>DeepSeek outside.</p>${filler(10)}<div><p>No term here <span id="host"></span>.</p></div>`;
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<b>DeepSeek inside.</b>';
    await s.configure(index, allTopics);
    expect(s.findings().findings.map((f) => f.sentence)).toEqual(['DeepSeek outside.', 'DeepSeek inside.']);
  });
});
