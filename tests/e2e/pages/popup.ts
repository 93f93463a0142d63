/** The toolbar popup, opened as a page on a given tab (as the toolbar button does). */
import type { Session, Tab } from '../harness/browsers';
import { textOf } from '../harness/ext';
import { until } from '../harness/until';

export interface PopupTopic {
  id: string;
  count: string;
  bar: string;
  question: string;
  yes: string;
  no: string;
}

export class PopupPage {
  private constructor(readonly tab: Tab) {}

  static async open(session: Session, tabId: number): Promise<PopupPage> {
    const tab = await session.openExtension(`popup.html?tab=${tabId}`);
    await until(() => tab.evaluate(() => !!document.querySelector('.topics, .state')), 'the popup content');
    return new PopupPage(tab);
  }

  /**
   * The state message once the page's scan has ended. While it runs the
   * popup says "Reading the page…" and asks again every 300 ms, so a popup
   * opened early shows that first.
   */
  state(): Promise<string> {
    return until(async () => {
      const text = await textOf(this.tab, '.state');
      return text && !text.startsWith('Reading the page') ? text : null;
    }, 'a state message after the scan');
  }

  topics(): Promise<PopupTopic[]> {
    return this.tab.evaluate(() =>
      [...document.querySelectorAll('.topics .topic')].map((li) => ({
        id: li.getAttribute('data-topic')!,
        count: li.querySelector('.count')?.textContent ?? '',
        bar: (li.querySelector('.bar > span') as HTMLElement | null)?.style.width ?? '',
        question: li.querySelector('.brief .q')?.textContent ?? '',
        yes: li.querySelector('.side.yes')?.textContent ?? '',
        no: li.querySelector('.side.no')?.textContent ?? '',
      })),
    );
  }

  /** The mention list, as text per item. */
  mentions(): Promise<string[]> {
    return this.tab.evaluate(() => [...document.querySelectorAll('.mentions .mention')].map((el) => el.textContent ?? ''));
  }

  clickMention(i: number): Promise<void> {
    return this.tab.evaluate((i) => (document.querySelectorAll('.mentions .mention')[i] as HTMLElement).click(), i);
  }

  toggleTopic(topicId: string): Promise<void> {
    return this.tab.evaluate((id) => (document.querySelector(`input[data-topic="${id}"]`) as HTMLInputElement).click(), topicId);
  }

  screenshot(path: string): Promise<void> {
    return this.tab.screenshot(path);
  }

  close(): Promise<void> {
    return this.tab.close();
  }
}
