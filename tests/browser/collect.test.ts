/** Text collection against a real DOM: what a segment is, and what is never read. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchCollector,
  blockOf,
  collectSegments,
  isShown,
  segmentAt,
  ShownCache,
  type Pruner,
  type Segment,
  type Verdict,
} from '../../entrypoints/content/collect';

afterEach(() => {
  document.body.innerHTML = '';
});

function segments(root: Node = document.body, onShadowRoot?: (r: ShadowRoot) => void): Segment[] {
  return [...collectSegments(root, onShadowRoot)];
}

describe('collectSegments', () => {
  it('joins text across inline elements, never across blocks', () => {
    document.body.innerHTML = '<p>export <a href="#">controls</a> on <b>Deep</b>Seek</p><p>second</p><div>third <p>nested</p> after</div>';
    expect(segments().map((s) => s.text)).toEqual(['export controls on DeepSeek', 'second', 'third ', 'nested', ' after']);
  });

  it('reads ruby text around its annotations: the words, not their readings', () => {
    document.body.innerHTML = '<p>据报道<ruby>深<rt>shēn</rt>度<rp>(</rp><rt>dù</rt><rp>)</rp></ruby>求索发布了新模型。</p>';
    expect(segments().map((s) => s.text)).toEqual(['据报道深度求索发布了新模型。']);
  });

  it('maps offsets back to the text nodes', () => {
    document.body.innerHTML = '<p>Deep<b>Seek</b> R1</p>';
    const [seg] = segments();
    expect(seg!.nodes.map((n) => n.data)).toEqual(['Deep', 'Seek', ' R1']);
    expect(seg!.starts).toEqual([0, 4, 8]);
  });

  it('keeps glued words one word, but parts texts the page sets apart on screen', () => {
    document.body.innerHTML = `
      <p>export <b>Deep</b>Seek and <span style="float:left;font-size:3em">D</span>eepSeek</p>
      <p><a href="#">US widens export curbs</a><span style="margin-left:8px">ChipWire</span></p>
      <p><a href="#">Nvidia cut it down for export controls</a><span style="display:inline-block">Source</span></p>
      <p style="display:flex"><span>export curbs</span><span>NewsDesk</span></p>`;
    expect(segments().map((s) => s.text)).toEqual([
      'export DeepSeek and DeepSeek',
      'US widens export curbs ChipWire',
      'Nvidia cut it down for export controls Source',
      'export curbs NewsDesk',
    ]);
  });

  it('reads inline code in prose, but not code listings', () => {
    document.body.innerHTML = '<p>The API serves it as <code>deepseek-chat</code> today.</p><pre><code>model = "deepseek-chat"</code></pre>';
    expect(segments().map((s) => s.text)).toEqual(['The API serves it as deepseek-chat today.']);
  });

  it('never reads scripts, styles, forms, editors, opted-out, hidden or aria-hidden text', () => {
    document.body.innerHTML = `
      <p>visible DeepSeek</p>
      <script>var DeepSeek = 1;</script><style>.DeepSeek{}</style>
      <textarea>DeepSeek</textarea><input value="DeepSeek"><select><option>DeepSeek</option></select>
      <div contenteditable="true">DeepSeek</div><div contenteditable="plaintext-only">DeepSeek</div>
      <div data-counterpoint="off">DeepSeek</div><div data-gramm="false">DeepSeek</div>
      <div hidden>DeepSeek</div><div aria-hidden="true">DeepSeek</div>
      <pre>DeepSeek</pre><kbd>DeepSeek</kbd>`;
    expect(segments().map((s) => s.text)).toEqual(['visible DeepSeek']);
  });

  it('reports open shadow roots and leaves elements the caller skips', () => {
    document.body.innerHTML = '<p>outside</p><div id="host"></div><div id="ours">our own card</div>';
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<p>inside</p>';
    const roots: ShadowRoot[] = [];
    const found = [...collectSegments(document.body, (r) => roots.push(r), [document.getElementById('ours')!])];
    expect(found.map((s) => s.text)).toEqual(['outside']);
    expect(roots).toHaveLength(1);
    expect(segments(roots[0]!).map((s) => s.text)).toEqual(['inside']);
  });

  it('gives a block that starts with a text longer than a batch a batch of its own', () => {
    const long = 'Plain words. '.repeat(100);
    document.body.innerHTML = `<h1>Title</h1><p>${long}</p><p>After</p><p>And more</p>`;
    const batches: string[][] = [];
    const collector = new BatchCollector(document.body, () => undefined, [], 200);
    for (let batch = collector.next(Infinity); batch !== undefined; batch = collector.next(Infinity))
      if (batch) batches.push(Array.from(batch.starts, (_, i) => segmentAt(batch, i).text));
    // Not joined to the title: one batch of a few megabytes joined to a word of
    // the one before is copied whole. The blocks after it come after it.
    expect(batches).toEqual([['Title'], [long], ['After', 'And more']]);
  });

  it('reads text placed directly in a shadow root, as one segment keyed by the root', () => {
    document.body.innerHTML = '<div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = 'DeepSeek said <b>R1</b> was cheap<p>a paragraph</p>then more text';
    const found = segments(root);
    expect(found.map((s) => s.text)).toEqual(['DeepSeek said R1 was cheap', 'a paragraph', 'then more text']);
    expect(found[0]!.block).toBe(root);
    expect(found[2]!.block).toBe(root);
  });
});

describe('isShown', () => {
  it('is false for text not rendered, transparent, invisible or clipped away like screen-reader-only text', () => {
    document.body.innerHTML = `
      <p id="plain">shown</p>
      <p style="display:none"><span id="none">x</span></p>
      <p style="opacity:0"><span id="transparent">x</span></p>
      <p style="visibility:hidden"><span id="invisible">x</span></p>
      <span id="sronly" style="position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0"><b id="inside">x</b></span>
      <span id="clippath" style="position:absolute;width:1px;height:1px;clip-path:inset(50%)">x</span>
      <span id="offscreen-ok" style="position:absolute;left:0;top:0">still readable</span>
      <span id="offscreen" style="position:absolute;left:-9999px;top:0">moved away</span>
      <span style="position:absolute;width:1px;height:1px;overflow:hidden"><span><i id="deep-a">x</i> <i><b id="deep-b">y</b></i></span></span>
      <div style="position:absolute;width:1px;height:1px"><p id="small-not-clipped">overflows, but shows</p></div>
      <div><section><p><span><em id="deep-shown">z</em></span></p></section></div>`;
    const shown = (id: string, cache = new ShownCache()) => isShown(document.getElementById(id)!, cache);
    expect(shown('plain')).toBe(true);
    expect(shown('offscreen-ok')).toBe(true);
    expect(shown('small-not-clipped')).toBe(true);
    for (const id of ['none', 'transparent', 'invisible', 'sronly', 'inside', 'clippath', 'offscreen', 'deep-a', 'deep-b']) expect(shown(id), id).toBe(false);
    // One cache for every element (as in a scan turn): the answers do not
    // depend on what was asked before, whichever shared ancestors it measured.
    const ids = ['deep-shown', 'plain', 'deep-a', 'small-not-clipped', 'deep-b', 'inside', 'offscreen', 'offscreen-ok', 'sronly', 'clippath'];
    for (const order of [ids, [...ids].reverse()]) {
      const cache = new ShownCache();
      expect(order.map((id) => [id, shown(id, cache)])).toEqual(order.map((id) => [id, shown(id)]));
    }
  });

  it('tells text scrolled out of view from text moved off the page, whichever way the page is scrolled', () => {
    document.body.innerHTML = `
      <p id="read">read, then scrolled past</p>
      <div style="height:5000px;width:5000px"></div>
      <span id="left" style="position:absolute;left:-9999px;top:0">moved away</span>
      <span id="above" style="position:absolute;left:0;top:-500px">above the page</span>`;
    const shown = (id: string) => isShown(document.getElementById(id)!, new ShownCache());
    try {
      for (const [x, y] of [
        [0, 0],
        [0, 2000],
        [2000, 0],
        [2000, 2000],
      ] as const) {
        window.scrollTo(x, y);
        expect(document.getElementById('read')!.getBoundingClientRect().bottom > 0, `${x},${y}`).toBe(y === 0);
        expect([shown('read'), shown('left'), shown('above')], `${x},${y}`).toEqual([true, false, false]);
      }
    } finally {
      window.scrollTo(0, 0);
    }
  });
});

describe('blockOf', () => {
  it('is the nearest non-inline ancestor, or the shadow root for text placed directly in one', () => {
    document.body.innerHTML = '<div id="d"><span><b id="b">x</b></span></div><div id="host"></div>';
    expect(blockOf(document.getElementById('b')!.firstChild!)).toBe(document.getElementById('d'));
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = 'direct <i>text</i>';
    expect(blockOf(root.firstChild!)).toBe(root);
    expect(blockOf(root.querySelector('i')!.firstChild!)).toBe(root);
  });
});

describe('a pruned walk', () => {
  /** Walks the body, asking `verdicts` (by id; 'read' for the rest) from the start, `budget` nodes at a time, calling `paused` at each pause. */
  function walk(verdicts: Record<string, Verdict>, budget = Infinity, paused?: () => void) {
    const asked: string[] = [];
    const roots: ShadowRoot[] = [];
    const pruner: Pruner = (el) => {
      asked.push(el.id || el.localName);
      return verdicts[el.id] ?? 'read';
    };
    const collector = new BatchCollector(
      document.body,
      (root) => roots.push(root),
      [document.getElementById('ours')].filter((x) => x !== null),
      32_768,
    );
    collector.prune(pruner);
    const texts: string[] = [];
    for (let batch = collector.next(budget); batch !== undefined; batch = collector.next(budget)) {
      if (batch) for (let i = 0; i < batch.starts.length; i++) texts.push(segmentAt(batch, i).text);
      else paused?.();
    }
    return { texts, asked, roots };
  }

  it('reads only the blocks its pruner lets through, asks inside those it goes into, and keeps every block boundary', () => {
    document.body.innerHTML = `
      <div id="a"><p>one</p><p>two</p></div>tail text<div id="b"><p>DeepSeek</p></div>
      <section id="c"><p id="c1">four <b>five</b></p><div id="c2"><p>six</p></div></section>
      <div id="d">start <p id="gone">gone</p> end</div>`;
    const { texts, asked } = walk({ b: 'skip', c: 'ask', d: 'ask', gone: 'skip' });
    expect(texts.map((t) => t.trim())).toEqual(['one', 'two', 'tail text', 'four five', 'six', 'start', 'end']);
    // Nothing is asked inside a block that is read; everything non-inline is asked inside one that is asked.
    expect(asked).toEqual(['a', 'b', 'c', 'c1', 'c2', 'd', 'gone']);
  });

  it('still reports the open shadow roots in a skipped block, but none inside an element a walk never enters or our own', () => {
    document.body.innerHTML = `
      <div id="s"><div><span id="h1"></span></div><div aria-hidden="true"><span id="h2"></span></div><div contenteditable="true"><p id="h3"></p></div><svg><g></g></svg></div>
      <div id="ours"><div id="h4"></div></div><p>after</p>`;
    const attach = (id: string) => {
      const root = document.getElementById(id)!.attachShadow({ mode: 'open' });
      root.innerHTML = `<p>${id}</p>`;
      return root;
    };
    const [h1] = ['h1', 'h2', 'h3', 'h4'].map(attach);
    const { texts, roots } = walk({ s: 'skip' });
    expect(roots).toEqual([h1]);
    expect(texts).toEqual(['after']);
  });

  it('goes on after a skipped block when the page changed it while the walk was paused inside it', () => {
    const spans = Array.from({ length: 40 }, () => '<span></span>').join('');
    document.body.innerHTML = `<div id="s">${spans}<div>${spans}</div></div><p id="next">removed</p><p>after</p><div id="h"></div><div id="t">${spans}</div><p>last</p>`;
    const root = document.getElementById('h')!.attachShadow({ mode: 'open' });
    let pauses = 0;
    const { texts, roots } = walk({ s: 'skip', t: 'skip' }, 8, () => {
      // While inside #s: the element the skip would have stopped at goes away, and #t grows.
      if (++pauses === 2) {
        document.getElementById('next')!.remove();
        document.getElementById('t')!.insertAdjacentHTML('beforeend', '<p>DeepSeek</p>');
      }
    });
    expect(pauses).toBeGreaterThan(8);
    expect(texts).toEqual(['after', 'last']);
    // Met once, by the walk after the skip: the skip did not run on past its block.
    expect(roots).toEqual([root]);
  });

  it('spends one budget on a run of skipped blocks, however many there are', () => {
    // 200 small blocks of 5 elements each, every one skipped: 1,000 elements
    // with no text read. A walk 50 nodes at a time pauses every 50 nodes,
    // not once every 25 blocks.
    const block = '<div class="s"><span></span><span></span><span></span><i></i></div>';
    document.body.innerHTML = `${block.repeat(200)}<p>after</p>`;
    const verdicts = Object.fromEntries([...document.querySelectorAll('.s')].map((el, i) => ((el.id = `s${i}`), [el.id, 'skip' as Verdict])));
    const visits: number[] = [];
    const collector = new BatchCollector(document.body, () => undefined, [], 32_768);
    collector.prune((el) => verdicts[el.id] ?? 'read');
    const texts: string[] = [];
    for (let batch = collector.next(50); batch !== undefined; batch = collector.next(50)) {
      visits.push(collector.visited);
      if (batch) for (let i = 0; i < batch.starts.length; i++) texts.push(segmentAt(batch, i).text);
    }
    expect(texts).toEqual(['after']);
    // Every call stays within its budget (one node over: the one it stops at)…
    expect(Math.max(...visits)).toBeLessThanOrEqual(51);
    // …so the walk takes about 25 calls (each block costs its own visit, a step into its
    // walk and its four children), not the 9 it took when each skipped block's walk had a
    // budget of its own and counted as one node.
    expect(visits.length).toBeGreaterThanOrEqual(20);
  });
});
