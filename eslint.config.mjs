// Flat ESLint config. Besides typescript-eslint's recommended rules, it enforces the
// process layering (see docs: architecture notes):
//   - only src/main/electron/** and src/preload/** may import 'electron';
//   - src/renderer/** and src/shared/** run in the browser too and may not import Node
//     built-ins (every one node:module lists, bare or with node:, and their sub-paths),
//     nor main-process or preload code;
//   - src/shared/** is below everything: it imports nothing of main, renderer or preload;
//   - src/main/core/** is plain Node that the API, the Electron shell, the browser-mode
//     server and the CLI all call: it imports nothing of them.
// Stylistic rules are deliberately left out.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Top-level names of every Node built-in (fs for fs/promises, and so on). */
const NODE_BUILTINS = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '').split('/')[0]))].sort();
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const electronImport = {
  name: 'electron',
  message: "Only src/main/electron/** and src/preload/** may import 'electron'; take Electron objects as parameters instead.",
};

// fs, node:fs, fs/promises, node:path/posix…; and anything node: (node:test, node:sea have no bare form).
const nodeBuiltinImports = {
  regex: `^(node:.*|(${NODE_BUILTINS.map(escapeRegex).join('|')})(/.*)?)$`,
  message: 'This is a Node built-in; renderer and shared code must run in a browser. Move this to src/main and call it through the API contract.',
};
const electronSubpaths = { regex: '^electron/', message: electronImport.message };
// The renderer reaches main only through window.api; shared code is below both. Types the
// renderer needs belong in src/shared.
const mainProcessImports = {
  regex: '^(\\.\\./)+(main|preload)(/|$)',
  message: 'Renderer and shared code may not import src/main or src/preload: call main through the API contract, and share types through src/shared.',
};
const rendererImports = {
  regex: '^(\\.\\./)+renderer(/|$)',
  message: 'Shared code may not import src/renderer: move what both sides need into src/shared.',
};
// The core is what the adapters call, never the other way round.
const adapterImports = {
  regex: '^(\\.\\./)+(api|electron|server|cli)(/|$)',
  message: 'src/main/core may not import src/main/api, electron, server or cli: they call the core, and the core takes what it needs as parameters.',
};

const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch',
    'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'globalThis',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default defineConfig(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-output/**', 'coverage/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // The two classic hook rules; v7's React Compiler rules are not used here.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Main-process code outside the Electron adapters: plain Node, no 'electron'.
  {
    files: ['src/main/**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronImport], patterns: [electronSubpaths] }],
    },
  },
  // The core: besides, nothing of the adapters that call it.
  {
    files: ['src/main/core/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronImport], patterns: [electronSubpaths, adapterImports] }],
    },
  },
  // Code that runs in the renderer (or both places): neither 'electron' nor Node built-ins.
  {
    files: ['src/renderer/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [electronSubpaths, nodeBuiltinImports, mainProcessImports] },
      ],
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [electronSubpaths, nodeBuiltinImports, mainProcessImports, rendererImports] },
      ],
    },
  },
);
