import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { flickPwa } from './tooling/pwa';

// The hub serves the built files at "/" and the API at the same origin; in dev, Vite forwards /api
// (REST and the WebSocket) to a hub running on its default port. tooling/pwa.ts adds the generated theme,
// icons, manifest and service worker.
export default defineConfig({
  base: './',
  plugins: [svelte(), flickPwa()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts', 'tooling/**/*.test.ts'],
    environment: 'node',
  },
});
