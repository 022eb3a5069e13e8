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

/** Workflow code and what it imports are bundled into the sandbox: no Node built-ins, I/O layers as types only. */
function sandboxBlock(files, extraPatterns, extraRules = {}) {
  return {
    files,
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
            ...extraPatterns,
          ],
        },
      ],
      ...extraRules,
    },
  };
}

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
  sandboxBlock(['workflows/**/*.ts'], []),
  // domain/ is preloaded once per worker thread and shared by every workflow (worker.ts PRELOADED_MODULES):
  // no Temporal API, no workflow code and no module-level variables in it — it may hold no per-workflow state
  sandboxBlock(
    ['domain/**/*.ts'],
    [{ group: ['@temporalio/*', '**/workflows', '**/workflows/*'], allowTypeImports: true, message: 'domain/ is shared by every workflow of a worker thread: pure rules only (worker.ts).' }],
    {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > VariableDeclaration[kind="let"], Program > ExportNamedDeclaration > VariableDeclaration[kind="let"]',
          message: 'domain/ is shared by every workflow of a worker thread: no module-level state (worker.ts).',
        },
      ],
    },
  ),
]);
