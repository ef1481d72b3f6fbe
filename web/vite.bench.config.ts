import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config';

// The chart benchmark page (bench/charts.html), built apart from the app into bench/target/web-charts
// (run by bench/web-charts.sh; never part of the shipped client).
export default mergeConfig(
  base,
  defineConfig({
    build: {
      outDir: resolve(__dirname, '../bench/target/web-charts'),
      emptyOutDir: true,
      // FLICK_BENCH_MINIFY=false keeps names readable in a profile (FLICK_BENCH_PROFILE).
      minify: process.env.FLICK_BENCH_MINIFY !== 'false',
      rollupOptions: { input: resolve(__dirname, 'bench/charts.html') },
    },
  }),
);
