// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/** A session-level SET of search_path or role would leak one clinic's settings into the next request on that pooled connection. */
const SESSION_SET = '/\\bSET\\s+(SESSION\\s+)?(search_path|role)\\b/i';
const SESSION_SET_CONFIG = "/set_config\\(\\s*'(search_path|role)'[^)]*,\\s*false\\s*\\)/i";
const sessionSetMessage =
  'Never change search_path or role for the session on a pooled connection: use set_config(..., true) or SET LOCAL inside the transaction.';

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${SESSION_SET}]`, message: sessionSetMessage },
        { selector: `TemplateElement[value.raw=${SESSION_SET}]`, message: sessionSetMessage },
        { selector: `Literal[value=${SESSION_SET_CONFIG}]`, message: sessionSetMessage },
        { selector: `TemplateElement[value.raw=${SESSION_SET_CONFIG}]`, message: sessionSetMessage },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
