import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is one static build served by Electron's app:// protocol or by the
// browser-mode server; relative asset paths make both work.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
