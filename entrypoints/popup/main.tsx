import { render } from 'preact';
import { Popup } from '@/components/Popup';
import '@/components/pages.css';

const params = new URLSearchParams(location.search);
const tab = params.get('tab');
document.documentElement.lang = navigator.language || 'en';
document.title = 'Counterpoint';
render(<Popup tabParam={tab === null ? null : Number(tab)} />, document.getElementById('app')!);
