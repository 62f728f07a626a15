import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

const here = import.meta.dirname;
const shared: UserConfig = {
  root: 'client',
  base: '/assets/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
};

/**
 * A citizen page built alone into one JS file and one CSS file, which the server inlines into the
 * HTML: one request, ≤ 12 KB gzipped, nothing shared with the staff app.
 */
const citizenBuild = (dir: string, name: string, input: Record<string, string>): UserConfig => ({
  ...shared,
  base: `/assets/${dir}/`,
  // The classic JSX runtime (h(type, props, ...children)) is ~150 B smaller gzipped than the
  // automatic one here; h is injected into each .tsx (not into the worker, which has no JSX).
  oxc: {
    jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' },
    jsxInject: "import { h, Fragment } from 'preact'",
    exclude: /sw\.ts$/,
  },
  build: {
    outDir: resolve(here, `dist/client/${dir}`),
    emptyOutDir: true,
    assetsDir: '',
    modulePreload: false,
    target: 'es2019',
    cssCodeSplit: false,
    rollupOptions: { input, output: { entryFileNames: '[name].js', assetFileNames: `${name}[extname]` } },
  },
});

// Three builds. The citizen's rating page (`--mode mobile`: /r/, /e/) and the citizen's other pages
// (`--mode status`: a case's progress /s/{token}, the lookup /s/, a dead code or link), each alone.
// The staff app, the public rankings page and the 评价器 page are the default build.
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'mobile') {
    // sw.js: the page's service worker, served by the server at /r/sw.js.
    return citizenBuild('m', 'mobile', {
      mobile: resolve(here, 'client/mobile/index.html'),
      sw: resolve(here, 'client/mobile/sw.ts'),
    });
  }
  if (mode === 'status') return citizenBuild('s', 'status', { status: resolve(here, 'client/mobile/status.html') });
  return {
    ...shared,
    build: {
      outDir: resolve(here, 'dist/client'),
      // The citizen builds write into dist/client/m and dist/client/s; keep them.
      emptyOutDir: false,
      assetsDir: '',
      modulePreload: { polyfill: false },
      target: 'es2020',
      rollupOptions: {
        input: {
          admin: resolve(here, 'client/admin/index.html'),
          public: resolve(here, 'client/public/index.html'),
          // The 评价器 tablet's page, served at /k/{token}.
          kiosk: resolve(here, 'client/kiosk/index.html'),
        },
      },
    },
  };
});
