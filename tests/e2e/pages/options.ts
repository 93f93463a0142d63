/** The settings page: its controls, driven the way a reader does. */
import type { Tab } from '../harness/browsers';
import { pickFile, textOf } from '../harness/ext';
import { until } from '../harness/until';

export class OptionsPage {
  constructor(readonly tab: Tab) {}

  /** The dataset version line (waits until the page has it). */
  datasetVersion(): Promise<string> {
    return until(() => textOf(this.tab, '[data-testid="dataset-version"]'), 'the dataset version');
  }

  datasetCounts(): Promise<string> {
    return textOf(this.tab, '[data-testid="dataset-counts"]');
  }

  /** The status line after an action: the error or the confirmation. */
  error(): Promise<string> {
    return until(() => textOf(this.tab, '.error'), 'an error message');
  }

  importFile(name: string, text: string): Promise<void> {
    return pickFile(this.tab, 'input[type="file"]', name, text);
  }

  reset(): Promise<void> {
    return this.tab.evaluate(() => [...document.querySelectorAll('button')].find((b) => /reset/i.test(b.textContent ?? ''))!.click());
  }

  async addSite(site: string): Promise<void> {
    await this.tab.evaluate((site) => {
      const input = document.querySelector('form input[type="text"]') as HTMLInputElement;
      input.value = site;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, site);
    await this.tab.evaluate(() => (document.querySelector('form button[type="submit"]') as HTMLButtonElement).click());
  }

  removeFirstSite(): Promise<void> {
    return this.tab.evaluate(() => (document.querySelector('.sites li button') as HTMLButtonElement).click());
  }

  /** Picks a highlight style for the topic in row `row`. */
  setStyle(row: number, style: string): Promise<void> {
    return this.tab.evaluate(
      ({ row, style }) => {
        const select = document.querySelectorAll('table.topics select')[row] as HTMLSelectElement;
        select.value = style;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      },
      { row, style },
    );
  }

  setHoverDelay(ms: number | string): Promise<void> {
    return this.tab.evaluate((ms) => {
      const input = document.querySelector('input[type="number"]') as HTMLInputElement;
      input.value = String(ms);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, ms);
  }

  /** What the hover delay field shows. */
  hoverDelayField(): Promise<string> {
    return this.tab.evaluate(() => (document.querySelector('input[type="number"]') as HTMLInputElement).value);
  }

  /** Turns "mark every mention the same" on or off. */
  setMarkEvery(on: boolean): Promise<void> {
    return this.tab.evaluate((on) => {
      const box = document.querySelector('input[data-setting="markEvery"]') as HTMLInputElement;
      if (box.checked !== on) box.click();
    }, on);
  }

  /** The status text (saved, imported, or an error). */
  status(): Promise<string> {
    return textOf(this.tab, '.status-slot');
  }
}
