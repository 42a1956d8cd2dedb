/**
 * Last step of `npm run build`: bundles the workflow code once (Temporal's `bundleWorkflowCode`,
 * the same webpack build the worker would otherwise run at each start) and writes it to
 * `dist/workflow-bundle.js`, which the compiled worker then loads as `workflowBundle`.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { workflowBundlePath } from './workflow-source';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  await writeFile(workflowBundlePath, code);
  process.stdout.write(`wrote ${workflowBundlePath} (${(code.length / 1024 / 1024).toFixed(1)} MB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`workflow bundle failed: ${String(error)}\n`);
  process.exit(1);
});
