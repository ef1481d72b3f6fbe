import type { MessageKey } from './i18n';
import type { Route } from './router';

/** One destination in the navigation bar (phones) and rail (wider screens). */
export interface Destination {
  id: string;
  href: string;
  label: MessageKey;
  /** A 24×24 Material Symbols path. */
  icon: string;
  active(route: Route): boolean;
}

/**
 * The app's top-level destinations, in order. Screens from other features (alerts, logs) add an entry here
 * and a case in App.svelte.
 */
export const destinations: Destination[] = [
  {
    id: 'overview',
    href: '#/',
    label: 'nav.overview',
    icon: 'M3 3h8v8H3V3Zm10 0h8v8h-8V3ZM3 13h8v8H3v-8Zm10 0h8v8h-8v-8Zm2 2v4h4v-4h-4ZM5 15v4h4v-4H5Zm10-10v4h4V5h-4ZM5 5v4h4V5H5Z',
    active: (r) => r.name === 'dashboard' || r.name === 'server',
  },
  {
    id: 'processes',
    href: '#/processes',
    label: 'nav.processes',
    icon: 'M3 5h18v2H3V5Zm0 6h18v2H3v-2Zm0 6h12v2H3v-2Zm15 0h3v2h-3v-2Z',
    active: (r) => r.name === 'processes',
  },
  {
    id: 'alerts',
    href: '#/alerts',
    label: 'nav.alerts',
    icon: 'M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z',
    active: (r) => r.name === 'alerts',
  },
  {
    id: 'logs',
    href: '#/logs',
    label: 'nav.logs',
    icon: 'M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Zm0 16H5V5h14v14ZM7 7h10v2H7V7Zm0 4h10v2H7v-2Zm0 4h7v2H7v-2Z',
    active: (r) => r.name === 'logs',
  },
  {
    id: 'settings',
    href: '#/settings',
    label: 'nav.settings',
    icon: 'M19.14 12.94a7.5 7.5 0 0 0 .05-.94 7.5 7.5 0 0 0-.05-.94l2.03-1.58a.5.5 0 0 0 .12-.64l-1.92-3.32a.5.5 0 0 0-.6-.22l-2.39.96a7.3 7.3 0 0 0-1.63-.94l-.36-2.54A.5.5 0 0 0 13.9 2.4h-3.84a.5.5 0 0 0-.49.42l-.36 2.54c-.59.24-1.13.56-1.63.94l-2.39-.96a.5.5 0 0 0-.6.22L2.67 8.88a.5.5 0 0 0 .12.64l2.03 1.58a7.5 7.5 0 0 0 0 1.88l-2.03 1.58a.5.5 0 0 0-.12.64l1.92 3.32c.13.22.39.3.6.22l2.39-.96c.5.38 1.04.7 1.63.94l.36 2.54c.05.24.26.42.49.42h3.84c.24 0 .45-.18.49-.42l.36-2.54c.59-.24 1.13-.56 1.63-.94l2.39.96c.22.08.47 0 .6-.22l1.92-3.32a.5.5 0 0 0-.12-.64l-2.03-1.58ZM12 15.6a3.6 3.6 0 1 1 0-7.2 3.6 3.6 0 0 1 0 7.2Z',
    active: (r) => r.name === 'settings',
  },
];
