import { render } from 'preact';
import { Options } from '@/components/Options';
import '@/components/pages.css';

document.documentElement.lang = navigator.language || 'en';
render(<Options />, document.getElementById('app')!);
