import type { WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` writes the prebuilt workflow bundle: `dist/workflow-bundle.js`, beside the compiled worker. */
export const workflowBundlePath: string = join(__dirname, '..', 'workflow-bundle.js');

/**
 * The workflow code for `Worker.create`: the bundle prebuilt by `npm run build` when it exists
 * (the compiled worker, as in the image), so start-up skips webpack; else the workflow sources,
 * bundled at start (`npm run worker`, run from TypeScript by tsx).
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return existsSync(workflowBundlePath)
    ? { workflowBundle: { codePath: workflowBundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
}
