import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { secretFileVariables, workerVariables } from '../../config/settings';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
/** Variable names in the first column of the configuration table. */
const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);

it('documents every variable the worker reads in the README configuration table, and no other', () => {
  const { required, optional } = workerVariables();
  expect([...documented].sort()).toEqual([...required, ...optional].sort());
});

it('names every variable that may come from a *_FILE', () => {
  for (const name of secretFileVariables) expect(section, name).toContain(`\`${name}\``);
  expect(section).toContain('`*_FILE` variants are accepted');
});
