// Lint: typescript-eslint with type information; floating promises are errors, and the pure core
// (domain, stats, detect, topology, correlate, formats, sim) may not import I/O or adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['kafkajs', '@clickhouse/client', 'fastify', 'undici', 'pino', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'net', 'node:net', 'child_process', 'node:child_process'];
const ADAPTER_DIRS = ['**/kafka/**', '**/clickhouse/**', '**/http/**', '**/slack/**', '**/app/**', '**/cli/**', '**/k8s/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/.venv/**', '.services/**', 'bin/**', 'eslint.config.mjs', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['src/domain/**', 'src/stats/**', 'src/detect/**', 'src/topology/**', 'src/correlate/**', 'src/formats/**', 'src/sim/**', 'src/changes/**', 'src/whatif/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: IO_MODULES, patterns: ADAPTER_DIRS.map((g) => ({ group: [g.replace(/\*\*\//, '../').replace('/**', '/*'), g.replace('**/', '../../').replace('/**', '/*')], message: 'the pure core imports no I/O or adapters' })) }],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
