/**
 * Counterpoint in Chinese, in both browsers: with the browser's own language
 * set to zh-CN, the settings page, the popup, the companion and the card's
 * chrome speak Chinese, and no string of the English locale is left on
 * screen (text, labels, tooltips). The card's content stays English and is
 * marked as such.
 *
 * Firefox takes its UI language from a language pack: Debian's
 * firefox-esr-l10n-zh-cn (`.ci/run` installs it).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser } from './fixtures';
import type { Tab } from './harness/browsers';
import { until } from './harness/until';
import { untilCardShown } from './pages/companion';
import { PopupPage } from './pages/popup';
import { CARD_HOST } from './pages/reader';

type Messages = Record<string, { message: string }>;
const root = resolve(import.meta.dirname, '../..');
const en = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Messages;
const zh = JSON.parse(readFileSync(join(root, 'public/_locales/zh_CN/messages.json'), 'utf8')) as Messages;

/**
 * The English locale's phrases a reader could spot: each message cut at its
 * placeholders and sentence ends, keeping the pieces of two words or more (a
 * single word such as "DeepSeek" is the same in both languages).
 */
const englishPhrases = [
  ...new Set(
    Object.entries(en)
      .filter(([key, m]) => key !== 'langTag' && zh[key]?.message !== m.message)
      .flatMap(([, m]) => m.message.split(/\$[A-Za-z0-9_]+\$|\$\d|(?<=[.!?:;])\s+/))
      .map((piece) => piece.replace(/[.:,;!?()“”"'’·…\s]+$|^[.:,;!?()“”"'’·…\s]+/g, ''))
      .filter((piece) => (piece.match(/[A-Za-z]{2,}/g) ?? []).length >= 2),
  ),
];

/** Everything a page shows or says: visible text, and the labels and tooltips of its elements, shadow roots included. */
const textOnScreen = (tab: Tab, hostSelector?: string) =>
  tab.evaluate((host) => {
    const out: string[] = [];
    const walk = (node: ParentNode, skipEnglish: boolean) => {
      for (const el of node.querySelectorAll('*')) {
        if (skipEnglish && el.closest('[lang="en"]')) continue;
        for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
          const v = el.getAttribute(attr);
          if (v) out.push(v);
        }
        for (const child of el.childNodes) if (child.nodeType === Node.TEXT_NODE && child.textContent?.trim()) out.push(child.textContent.trim());
        if (el.shadowRoot) walk(el.shadowRoot, true);
      }
    };
    const start = host ? document.querySelector(host)?.shadowRoot : document;
    if (start) walk(start, !!host);
    out.push(document.title);
    return out.join('\n');
  }, hostSelector);

const left = (text: string) => englishPhrases.filter((p) => text.includes(p));
const chinese = (text: string) => (text.match(/[\u3400-\u9fff]/g) ?? []).length;

describe.each(KINDS)('%s, zh-CN', (kind) => {
  const browser = useBrowser(kind, { locale: 'zh-CN' });

  it('the browser gives the extension Chinese', async () => {
    const ui = await browser.control.evaluate(() => {
      type Api = { i18n: { getUILanguage(): string } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      return (g.browser ?? g.chrome)!.i18n.getUILanguage();
    });
    expect(
      ui,
      kind === 'firefox' ? 'Firefox needs its Chinese language pack: sudo apt-get install -y firefox-esr-l10n-zh-cn' : 'Chromium was started with --lang=zh-CN',
    ).toMatch(/^zh/i);
    expect(englishPhrases.length).toBeGreaterThan(80);
  });

  it('the settings page: Chinese throughout, no English string left, lang="zh-CN"', async () => {
    await until(() => browser.control.evaluate(() => !!document.querySelector('[data-testid="dataset-version"]')), 'the settings page');
    const text = await textOnScreen(browser.control);
    expect(left(text)).toEqual([]);
    expect(text).toContain(zh.optionsTopics!.message);
    expect(text).toContain(zh.optionsPrivacyLink!.message);
    expect(chinese(text)).toBeGreaterThan(200);
    expect(await browser.control.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  });

  it('the popup, the companion and the card: Chinese chrome, the card’s content marked as English', async () => {
    const page = await browser.open('/demo-article.html');
    await page.settled(10);
    const tabId = await browser.tabId('/demo-article.html');

    const popup = await PopupPage.open(browser.session, tabId);
    await until(async () => (await popup.topics()).length === 3, 'the popup’s three topics');
    const popupText = await textOnScreen(popup.tab);
    expect(left(popupText)).toEqual([]);
    expect(chinese(popupText)).toBeGreaterThan(20);
    await popup.close();

    const companion = await browser.session.openExtension(`sidepanel.html?tab=${tabId}`);
    await untilCardShown(companion);
    const companionText = await textOnScreen(companion);
    expect(left(companionText)).toEqual([]);
    expect(chinese(companionText)).toBeGreaterThan(20);
    await companion.close();

    await page.tab.front();
    const p = (await page.pointAt('DeepSeek', 'less than $6 million'))!;
    await page.tab.click(p.x, p.y);
    await page.openCard('the training-cost card');
    const chrome = await textOnScreen(page.tab, CARD_HOST);
    expect(left(chrome)).toEqual([]);
    expect(chrome).toContain(zh.cardInEnglish!.message);
    const content = await page.tab.evaluate(
      (host) => [...(document.querySelector(host)?.shadowRoot?.querySelectorAll('[lang="en"]') ?? [])].map((e) => e.textContent ?? '').join(' '),
      CARD_HOST,
    );
    expect(content).toMatch(/training/i);
  });
});
