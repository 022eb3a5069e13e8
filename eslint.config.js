// ESLint (flat config): typescript-eslint's recommended rules, no `any`, and the Temporal samples'
// rule for workflow code: no Node built-ins and no run-time imports of activities (or of the other
// I/O layers) in the deterministic sandbox — type-only imports are fine (stack notes: bundling;
// tests/unit/workflow-imports.test.ts checks the same by reading the files).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const sandboxMessage = 'Workflow code runs in the deterministic sandbox: do this in an activity (stack notes: bundling).';

export default defineConfig([
  globalIgnores(['node_modules/', '.data/', 'bench/results/', 'tests/histories/', 'web/dist/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // the browser app (issue 17) runs in the browser, not in Node
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // tests read arbitrary JSON answers (`res.body.lines[0].status`): `any` is allowed there, never in the product
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // workflows and the pure domain rules they import are bundled into the workflow sandbox
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: sandboxMessage })),
          patterns: [
            { group: ['node:*'], message: sandboxMessage },
            {
              group: ['**/activities', '**/activities/*', '**/adapters', '**/adapters/*', '**/api', '**/api/*', '**/db', '**/db/*'],
              allowTypeImports: true,
              message: 'Activities, adapters, API and database code are imported into workflow code as types only (`import type`).',
            },
          ],
        },
      ],
    },
  },
]);
