// ESLint's recommended rules over the page's modules, the tests and the scripts (`make lint`).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['www/pkg/**', 'www/pkg-explore/**', 'www/vendor/**', 'dist/**', 'target/**', 'node_modules/**'] },
  js.configs.recommended,
  {
    files: ['www/js/**/*.js', 'www/loginstorm.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['tests/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.node },
  },
  {
    // End-to-end tests also send functions to run in the page (page.evaluate).
    files: ['tests/e2e/**/*.mjs', 'tests/e2e/fixtures/**/*.js', 'scripts/bench-page.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
