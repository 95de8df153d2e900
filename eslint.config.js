import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'public', 'corpus/src', 'scratch', 'coverage'] },
  js.configs.recommended,
  // The CLI launcher is plain JavaScript run by Node.
  {
    files: ['bin/**/*.mjs', 'fuzz/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    files: ['src/toolchain/**/*.ts'],
    rules: {
      // The toolchain layer runs in Node and in a worker: it must not reach up into other layers.
      'no-restricted-imports': [
        'error',
        { patterns: ['**/ui/**', '**/worker/**', '**/cli/**', 'react', 'react-dom'] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/ui/**', '**/worker/**'] }] },
  },
  // ---- the page (src/ui) ----
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Store access through one module (as Excalidraw does): components reach the
    // store only through src/ui/store/index.ts, and never the worker or zustand.
    files: ['src/ui/**/*.{ts,tsx}'],
    ignores: ['src/ui/store/**', 'src/ui/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zustand', message: 'Use useApp/useActions from src/ui/store/index.ts.' },
            { name: 'comlink', message: 'Only the worker supervisor talks to the worker.' },
          ],
          patterns: [
            {
              group: ['zustand/*'],
              message: 'Use useApp/useActions from src/ui/store/index.ts.',
            },
            {
              group: ['**/worker/**', '**/worker'],
              message: 'Components never talk to the worker: call a store action.',
            },
            {
              group: ['**/store/*', '!**/store/index.ts'],
              message: 'Reach the store only through src/ui/store/index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Inside the store: only the browser composition root may create the worker's supervisor.
    files: ['src/ui/store/**/*.{ts,tsx}'],
    ignores: ['src/ui/store/browser.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/worker/*', '!**/worker/api.ts'],
              message: 'The store depends on the supervisor interface; browser.ts creates it.',
            },
          ],
        },
      ],
    },
  },
);
