/**
 * The card's code, on its own: added by the background to a frame the first
 * time a card is about to open there (see entrypoints/content/card-host.ts),
 * in the same isolated world as the content script, where it leaves its
 * factory for the content script to find.
 */
import { CARD_UI_KEY, type CardUiFactory } from '../content/card-host';
import { Popover } from './popover';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';

export default defineUnlistedScript(() => {
  const factory: CardUiFactory = (deps) => new Popover(deps);
  (globalThis as unknown as Record<string, CardUiFactory>)[CARD_UI_KEY] = factory;
});
