import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';

/**
 * Registers a new namespace `<prefix>-<8 hex>` on the dev server and waits until its frontend
 * serves it (a moment after registration). Tests that assert which workflows exist use one, so
 * other test files on the shared dev server, which use the same region codes, cannot interfere.
 *
 * @throws Error when the namespace is not served within 30 s.
 */
export async function freshNamespace(connection: Connection, prefix: string): Promise<string> {
  const namespace = `${prefix}-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return namespace;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not served within 30 s: ${(error as Error).message}`);
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 200));
    }
  }
}
