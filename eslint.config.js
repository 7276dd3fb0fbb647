import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Time has one source: the core's injected clock (electron/core/platform.ts). Nothing else reads the wall clock.
const WALL_CLOCK = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Read time from the core's clock (Clock.now / the clock.now channel), not new Date()." },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Read time from the core's clock (Clock.now / the clock.now channel), not Date.now()." },
  { selector: "CallExpression[callee.name='Date']", message: "Read time from the core's clock (Clock.now / the clock.now channel), not Date()." },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.demo-data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer never renders raw HTML and never reaches for Node or the network.
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No raw HTML in the renderer.' },
        { selector: "CallExpression[callee.name='fetch']", message: 'The renderer has no network; use window.madoguchi.' },
        { selector: "NewExpression[callee.name='WebSocket']", message: 'The renderer has no network; use window.madoguchi.' },
        { selector: "NewExpression[callee.name='XMLHttpRequest']", message: 'The renderer has no network; use window.madoguchi.' },
        ...WALL_CLOCK,
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'shared/**/*.ts'],
    ignores: ['**/__tests__/**', 'electron/core/platform.ts'],
    rules: { 'no-restricted-syntax': ['error', ...WALL_CLOCK] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
