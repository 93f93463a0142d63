import { render } from 'preact';
import { Options } from '@/components/Options';
import '@/components/pages.css';
import { pageLanguage } from '@/lib/i18n';

document.documentElement.lang = pageLanguage();
render(<Options />, document.getElementById('app')!);
