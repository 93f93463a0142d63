import { launch, startTestSite } from '/work/main/tests/e2e/harness/browsers';
const site = await startTestSite();
for (const ext of [false, true]) {
  const s = await launch('chromium', site, { extension: ext });
  for (const p of ['deep-nesting.html?depth=1000', 'deep-nesting.html?depth=2000', 'deep-nesting.html?depth=3000', 'big-text.html', 'many-nodes.html', 'many-mentions.html']) {
    const tab = await s.open('/blank.html');
    try {
      const t0 = Date.now();
      await tab.goto(`/hostile/${p}`);
      await new Promise((r) => setTimeout(r, 3000));
      const m = await tab.evaluate(() => (globalThis as any).__mon.stop());
      console.log('ext', ext, p, Date.now() - t0, JSON.stringify(m));
    } catch (e) { console.log('ext', ext, p, 'ERR', String(e).slice(0, 60)); }
    await tab.close().catch(() => {});
  }
  await s.close();
}
await site.close();
