import { render } from 'preact';
import { Popup, prefetchPage } from '@/components/Popup';
import '@/components/pages.css';

const params = new URLSearchParams(location.search);
const tab = params.get('tab');
const tabParam = tab === null ? null : Number(tab);
prefetchPage(tabParam);
document.documentElement.lang = navigator.language || 'en';
document.title = 'Counterpoint';
render(<Popup tabParam={tabParam} />, document.getElementById('app')!);
