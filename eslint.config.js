import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'public', 'corpus/src'] },
  js.configs.recommended,
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
);
