import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Node reads NODE_EXTRA_CA_CERTS at each start-up, before any script (~90 ms for a whole
// system bundle on the CI VM), and the tests start Node hundreds of times (the CLI, workers,
// Chromium's server). No test needs it: each test cloud has a CA of its own, given explicitly.
delete process.env.NODE_EXTRA_CA_CERTS;

// Three tiers: the core in Node, the renderer in jsdom, end-to-end in Debian's Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['test/support/code-cache-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          globals: true,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.tsx'],
          setupFiles: ['test/renderer/setup.ts'],
          globals: true,
          // userEvent types key by key through React and CodeMirror: slow on a busy box.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globals: true,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
