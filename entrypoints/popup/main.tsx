import { render } from 'preact';
import { Popup, prefetchPage } from '@/components/Popup';
import '@/components/pages.css';
import { pageLanguage } from '@/lib/i18n';

const params = new URLSearchParams(location.search);
const tab = params.get('tab');
const tabParam = tab === null ? null : Number(tab);
prefetchPage(tabParam);
document.documentElement.lang = pageLanguage();
document.title = 'Counterpoint';
render(<Popup tabParam={tabParam} />, document.getElementById('app')!);
