import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  // The web app imports zod schemas and vocabulary defaults from ../src (one contract with the server).
  server: {
    port: 5173,
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Mantine (with floating-ui) and the icons in one chunk each instead of a small chunk per
        // component: opening the accounts list fetched 22 files for its screen, each a request to a
        // busy server; now 8. The initial bundle grows from 256 to 299 kB gzip (bench: web-bundle).
        codeSplitting: {
          groups: [
            { name: 'mantine', test: /node_modules[\\/](@mantine[\\/](core|hooks)|@floating-ui)[\\/]/ },
            { name: 'icons', test: /node_modules[\\/]@tabler[\\/]icons-react[\\/]/ },
          ],
        },
      },
    },
  },
});
