import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Three separate entries: the citizen page must stay tiny (≤ 12 KB gzipped), so it never
// shares a chunk with the staff app or the public rankings page.
export default defineConfig({
  root: 'client',
  base: '/assets/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    assetsDir: '',
    modulePreload: { polyfill: false },
    target: 'es2019',
    rollupOptions: {
      input: {
        mobile: resolve(import.meta.dirname, 'client/mobile/index.html'),
        admin: resolve(import.meta.dirname, 'client/admin/index.html'),
        public: resolve(import.meta.dirname, 'client/public/index.html'),
      },
    },
  },
});
