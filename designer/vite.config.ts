// The designer is a plain Vite build: React through esbuild's automatic JSX runtime (no plugin),
// code split per page so the modeler's code loads only on the design page.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    // Read by the bundle budget check (test/support/bundle.ts): which chunks each page loads first.
    manifest: true,
    rollupOptions: {
      // React Server Components directives in dependencies mean nothing to a client bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
