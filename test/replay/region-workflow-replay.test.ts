import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// Histories recorded from real runs on the dev server (see test/fixtures/histories/README.md).
// A change to the workflow code that would break running workflows fails here.
const historiesDir = join(__dirname, '../fixtures/histories');
const histories = readdirSync(historiesDir).filter((name) => name.endsWith('.json'));

it('has recorded histories to replay', () => {
  expect(histories.length).toBeGreaterThan(0);
});

it.each(histories)('replays %s deterministically with the current workflow code', async (name) => {
  // Stored as the history proto's JSON (enum names, 64-bit ids as strings, bytes in base64).
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(historiesDir, name), 'utf8')));
  await expect(
    Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows/index.ts') }, history, name),
  ).resolves.toBeUndefined();
});
