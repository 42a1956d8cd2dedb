import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { metricDefinitions } from '../../common/metric-names';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const start = readme.indexOf('## Metrics and dashboard');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
/** Rows of the metrics table: name, type and labels as written. */
const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\w+) \| ([^|]+) \|/gm)].map(([, name, type, labels]) => ({
  name,
  type,
  labels: [...(labels ?? '').matchAll(/`(\w+)`/g)].map((label) => label[1]),
}));

it('lists every domain metric in the README with its type and labels, and no other', () => {
  const defined = Object.values(metricDefinitions).map(({ name, type, labels }) => ({ name, type, labels: [...labels] }));
  expect(rows).toEqual(defined);
});
