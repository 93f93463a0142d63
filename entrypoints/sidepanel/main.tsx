import { render } from 'preact';
import { Companion } from '@/components/Companion';
import '@/components/pages.css';
import '@/components/companion.css';
import { pageLanguage } from '@/lib/i18n';

// `?tab=<id>` pins the companion to one tab (tests open it as a tab of its
// own); without it, it follows the active tab of its window.
const tab = new URLSearchParams(location.search).get('tab');
document.documentElement.lang = pageLanguage();
render(<Companion tabParam={tab === null ? null : Number(tab)} />, document.getElementById('app')!);
