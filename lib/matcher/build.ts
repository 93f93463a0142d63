/**
 * Which code of the matcher this is. The background publishes each topic's
 * term forms with the term index (lib/term-index.ts), and a content script
 * uses them only when they were worked out by the same code as its own:
 * after an update that changed how terms are tokenized or inflected, forms
 * from the old code could miss a term the new matcher finds.
 *
 * wxt.config.ts sets it to a hash of this directory's files; code run
 * unbuilt (the tests) is 'source' on both sides.
 */
declare const __MATCHER_BUILD__: string | undefined;

export const MATCHER_BUILD: string = typeof __MATCHER_BUILD__ === 'string' ? __MATCHER_BUILD__ : 'source';
