/**
 * mark.js as a page script of its own (served by the benchmark, so the outside
 * measurement can attribute its work by URL, as it does ours): the same terms,
 * across elements, as the inside comparison uses.
 */
import Mark from 'mark.js';
import dataset from '../../lib/dataset/dataset.json';

const terms = dataset.topics.flatMap((t) => t.terms.map((term) => term.text));
(window as unknown as { __markRun: () => void }).__markRun = () => {
  new Mark(document.body).mark(terms, { acrossElements: true, separateWordSearch: false, accuracy: 'exactly' });
};
