import { Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { projectRoot } from '../../servers/cache-dir';
import { CARBON_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

// The compose stack's Temporal jobs are shell scripts around the `temporal` CLI (the admin-tools
// image has it); here they run with the same CLI against the real dev server.
interface JobResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runJob(script: string, namespace: string): Promise<JobResult> {
  const env = {
    PATH: `${dirname(inject('temporalCliPath'))}:${process.env['PATH'] ?? ''}`,
    HOME: process.env['HOME'],
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace,
  };
  return new Promise((resolveRun) => {
    execFile('sh', [join(projectRoot, 'deploy/temporal', script)], { env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const newNamespace = (): string => `jobs-${randomUUID().slice(0, 8)}`;
let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await connection?.close();
});

it('creates the namespace with a 7-day retention, then registers the search attributes the workflows set', async () => {
  const namespace = newNamespace();
  const created = await runJob('create-namespace.sh', namespace);
  expect(created).toMatchObject({ code: 0, stderr: '' });
  expect(created.stdout).toContain(`namespace ${namespace} created\nnamespace ${namespace} is ready\n`);
  const described = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 24 * 3600);

  const registered = await runJob('register-search-attributes.sh', namespace);
  expect(registered).toMatchObject({ code: 0, stderr: '' });
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  // IndexedValueType 2 is KEYWORD.
  expect(Object.fromEntries(Object.entries(customAttributes ?? {}).map(([name, type]) => [name, type === 2 ? 'Keyword' : type]))).toEqual(
    Object.fromEntries(CARBON_SEARCH_ATTRIBUTES.map((key) => [key.name, 'Keyword'])),
  );
});

it('runs again on an existing namespace without changing anything', async () => {
  const namespace = newNamespace();
  expect((await runJob('create-namespace.sh', namespace)).code).toBe(0);
  expect((await runJob('register-search-attributes.sh', namespace)).code).toBe(0);

  const again = await runJob('create-namespace.sh', namespace);
  expect(again).toMatchObject({ code: 0, stderr: '' });
  expect(again.stdout).toBe(`namespace ${namespace} exists\nnamespace ${namespace} is ready\n`);
  expect(await runJob('register-search-attributes.sh', namespace)).toMatchObject({ code: 0, stderr: '' });
});

it('fails the search-attribute job loudly when the namespace does not exist', async () => {
  const namespace = newNamespace();
  const result = await runJob('register-search-attributes.sh', namespace);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(`Namespace ${namespace} is not found`);
  expect(result.stdout).not.toContain('is registered');
});

it('fails the search-attribute job when CarbonRegion exists with another type', async () => {
  const namespace = newNamespace();
  expect((await runJob('create-namespace.sh', namespace)).code).toBe(0);
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { CarbonRegion: 3 } }); // 3 is INT
  const result = await runJob('register-search-attributes.sh', namespace);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('search attribute CarbonRegion already exists and has different type Int');
});
