// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, and activity
// implementations may only be referenced as types.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.local/**', 'test-logs/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests index into arrays they have just asserted on.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Plain CommonJS entry points (the package bin) load the TypeScript sources with require().
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must not import Node built-ins.' })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflow code may import activities only with `import type`.',
            },
            {
              group: ['**/watttime/**', '**/regions/**', '**/config/**', '**/servers/**'],
              allowTypeImports: true,
              message: 'Workflow code must not import the WattTime library, Temporal client code, settings or servers.',
            },
            {
              group: ['undici', '@influxdata/*', '@temporalio/worker', '@temporalio/client', '@temporalio/activity', 'pino'],
              allowTypeImports: true,
              message: 'Workflow code must not import side-effecting libraries.',
            },
          ],
        },
      ],
    },
  },
);
