/**
 * Every user-facing string goes through `browser.i18n` (public/_locales), so a
 * translation needs no code change. A missing key shows the key itself, which
 * a test catches (tests/unit/i18n.test.ts).
 */
import { browser } from 'wxt/browser';

export function t(key: string, substitutions?: string | string[]): string {
  try {
    return browser.i18n.getMessage(key as Parameters<typeof browser.i18n.getMessage>[0], substitutions) || key;
  } catch {
    return key;
  }
}

/**
 * Is the browser's UI in English? The dataset's text is English only: where
 * the UI is not, the card says so next to the content.
 */
export function uiIsEnglish(): boolean {
  try {
    return /^en\b/i.test(browser.i18n.getUILanguage());
  } catch {
    return true;
  }
}

/**
 * The language the extension's pages are shown in: the locale file the
 * browser chose (its `langTag`), which is not always the browser's own
 * language (a French browser gets the English strings).
 */
export function pageLanguage(): string {
  const tag = t('langTag');
  return tag === 'langTag' ? 'en' : tag;
}
