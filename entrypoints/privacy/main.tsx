import { render } from 'preact';
import { DocumentView } from '@/components/DocumentView';
import { parseMarkdown } from '@/lib/markdown';
import policy from '../../docs/privacy.md?raw';
import '@/components/pages.css';

// The policy is written in English (docs/privacy.md, the same file the
// repository shows); the page says so to the browser and screen readers.
document.documentElement.lang = 'en';
render(<DocumentView blocks={parseMarkdown(policy)} />, document.getElementById('app')!);
