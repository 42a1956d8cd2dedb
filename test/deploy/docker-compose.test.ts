import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { secretFileVariables, workerVariables } from '../../config/settings';

// Docker cannot run here, so the compose file is checked statically.
interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  secrets?: string[];
  healthcheck?: { test: string[] };
  command?: string[] | string;
}
const compose = parse(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;

it('runs Temporal with PostgreSQL, its Web UI, InfluxDB 2.x, the worker and a one-shot starter', () => {
  expect(Object.keys(services).sort()).toEqual(
    ['influxdb', 'postgresql', 'starter', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
  );
  expect(services['temporal']?.environment?.['DB']).toBe('postgres12');
  expect(services['influxdb']?.image).toMatch(/^influxdb:2\.\d+\.\d+$/);
  expect(services['influxdb']?.environment?.['DOCKER_INFLUXDB_INIT_MODE']).toBe('setup');
  expect(services['starter']?.command).toEqual(['node', '--import', 'tsx', 'client/main.ts', 'start']);
});

it('pins every image to an exact version', () => {
  for (const [name, service] of Object.entries(services)) {
    expect(service.image, `${name} has an image`).toBeDefined();
    expect(service.image, `${name} pins a version`).toMatch(/^[\w./-]+:\d+\.\d+(\.\d+)?(-[\w.]+)?$/);
  }
});

it('gives the worker every variable it requires, and only variables it reads', () => {
  const environment = services['worker']?.environment ?? {};
  const provided = Object.keys(environment).map((name) => name.replace(/_FILE$/, ''));
  const { required, optional, oneOf } = workerVariables();
  for (const name of required) expect(provided, `worker gets ${name}`).toContain(name);
  for (const group of oneOf) expect(group.filter((name) => provided.includes(name)), `worker gets one of ${group.join(', ')}`).not.toEqual([]);
  for (const name of provided) expect([...required, ...optional], `worker reads ${name}`).toContain(name);
});

it('passes secrets as Docker secrets files, never as plain values', () => {
  const environment = services['worker']?.environment ?? {};
  const given = secretFileVariables.filter((name) => name in environment || `${name}_FILE` in environment);
  expect(given).toEqual(['WATTTIME_PASSWORD', 'INFLUXDB_TOKEN']);
  for (const name of given) {
    expect(environment[name], `${name} is not inline`).toBeUndefined();
    const secretPath = environment[`${name}_FILE`];
    expect(secretPath).toMatch(/^\/run\/secrets\/(\w+)$/);
    const secretName = secretPath?.split('/').pop() ?? '';
    expect(services['worker']?.secrets).toContain(secretName);
    expect(compose.secrets[secretName]?.file).toBe(`./secrets/${secretName}`);
  }
});

it('health-checks the worker on its /health endpoint', () => {
  const test = services['worker']?.healthcheck?.test.join(' ') ?? '';
  expect(test).toContain(`http://127.0.0.1:${services['worker']?.environment?.['HEALTH_PORT']}/health`);
});

it('builds the worker from a multi-stage Dockerfile that runs as a non-root user', () => {
  const dockerfile = readFileSync(join(__dirname, '../../Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
  expect(dockerfile).toMatch(/^USER node$/m);
  for (const line of dockerfile.match(/^FROM .*/gm) ?? []) expect(line).toMatch(/^FROM [\w./-]+:\d+\.\d+\.\d+/);
});
