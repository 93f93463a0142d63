/** The reading companion, opened as a tab pinned to a page of the test site (as the side panel follows that tab). */
import type { BrowserFixture } from '../fixtures';
import type { Tab } from '../harness/browsers';
import { until } from '../harness/until';
import type { ReaderPage } from './reader';

/** Opens `path`, waits for its highlights, then opens the companion on its tab and waits for the mention list. */
export async function openCompanionBeside(browser: BrowserFixture, path = '/demo-article.html'): Promise<{ page: ReaderPage; tabId: number; companion: Tab }> {
  const page = await browser.open(path);
  await page.settled(10);
  const tabId = await browser.tabId(path);
  const companion = await browser.session.openExtension(`sidepanel.html?tab=${tabId}`);
  await until(() => companion.evaluate(() => document.querySelectorAll('.mentions li').length > 0), 'the companion to list mentions');
  return { page, tabId, companion };
}

/**
 * Waits for the companion to list mentions and show the card at the reader's
 * place; on a timeout, says what the panel showed instead.
 */
export async function untilCardShown(companion: Tab): Promise<void> {
  const look = () =>
    companion
      .evaluate(() => ({
        at: location.pathname,
        visibility: document.visibilityState,
        listed: document.querySelectorAll('.mentions li').length,
        frame: !!document.querySelector('.card-frame'),
        card: !!document.querySelector('.card-frame')?.shadowRoot?.querySelector('.cp-card'),
        text: (document.body.innerText ?? '').slice(0, 160),
      }))
      .catch((error: unknown) => ({ error: String(error) }));
  let seen: unknown = null;
  await until(
    async () => {
      const now = await look();
      seen = now;
      return 'card' in now && now.card && now.listed > 0;
    },
    () => `the companion with a card (it showed ${JSON.stringify(seen)})`,
  );
}
