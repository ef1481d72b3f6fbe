import { mount } from 'svelte';
import 'virtual:flick-theme.css';
import './app.css';
import App from './App.svelte';
import { getLocale } from './lib/i18n';
import { applyTheme, themeChoice } from './lib/prefs/theme';
import { get } from 'svelte/store';

document.documentElement.lang = getLocale();

// Hangul everywhere (a Linux desktop without CJK fonts showed boxes): Noto Sans KR as a variable font, split by
// unicode-range so the browser fetches only the slices a page uses. Its @font-face rules (about 25 KB gzip) come in
// their own stylesheet after the first paint rather than blocking it; system fonts show until then.
void import('@fontsource-variable/noto-sans-kr');
applyTheme(get(themeChoice));

// The service worker caches the app shell so the app opens offline; registered after load so it never
// competes with the first paint.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // No service worker (e.g. plain http on a LAN address): the app still works online.
    });
  });
}

export default mount(App, { target: document.getElementById('app')! });
