import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIVITY_ATTEMPT_SECONDS, SHUTDOWN_GRACE_SECONDS } from '../../common/limits';
import { secretFileVariables, workerVariables } from '../../config/settings';
import { projectRoot } from '../../servers/cache-dir';

// Docker cannot run here, so the compose file is checked statically.
type DependsOn = Record<string, { condition: string }>;
interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  command?: string[] | string;
  entrypoint?: string[];
  depends_on?: DependsOn;
  stop_grace_period?: string;
  restart?: string;
}
const composeText = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string): ComposeService => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
/** The repository file a `./path:/container/path[:ro]` bind mount of `name` maps to `containerPath`. */
const boundFile = (name: string, containerPath: string): string | undefined =>
  service(name)
    .volumes?.map((volume) => volume.split(':'))
    .find(([source, target]) => source?.startsWith('./') && target === containerPath)?.[0];

it('runs Temporal with its setup jobs, the Web UI, InfluxDB 2.x, the worker, a starter, Prometheus and Grafana', () => {
  expect(Object.keys(services).sort()).toEqual(
    [
      'grafana', 'influxdb', 'postgresql', 'prometheus', 'starter', 'temporal', 'temporal-namespace',
      'temporal-schema', 'temporal-search-attributes', 'temporal-ui', 'worker',
    ].sort(),
  );
  expect(service('influxdb').image).toMatch(/^influxdb:2\.\d+\.\d+$/);
  expect(service('influxdb').environment?.['DOCKER_INFLUXDB_INIT_MODE']).toBe('setup');
  expect(service('starter').command).toEqual(['node', 'dist/client/main.js', 'start']);
});

it('pins every image to an exact version, never latest', () => {
  for (const [name, { image }] of Object.entries(services)) {
    expect(image, `${name} has an image`).toBeDefined();
    expect(image, `${name} pins a version`).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?(-[\w.]+)?$/);
  }
  expect(composeText).not.toMatch(/:latest\b/);
});

it('runs Temporal from temporalio/server with admin-tools jobs of the same release, not the deprecated auto-setup', () => {
  expect(composeText).not.toContain('auto-setup');
  const release = service('temporal').image?.replace('temporalio/server:', '');
  expect(service('temporal').image).toMatch(/^temporalio\/server:1\.\d+\.\d+$/);
  for (const job of ['temporal-schema', 'temporal-namespace', 'temporal-search-attributes']) {
    expect(service(job).image, job).toBe(`temporalio/admin-tools:${release}`);
    expect(service(job).restart, `${job} runs once`).toBe('no');
  }
  expect(service('temporal').environment?.['DB']).toBe('postgres12');
  expect(service('temporal').environment?.['BIND_ON_IP']).toBe('0.0.0.0');
});

it('orders the one-shot jobs and services with depends_on conditions', () => {
  const dependsOn = (name: string): DependsOn => service(name).depends_on ?? {};
  expect(dependsOn('temporal-schema')).toEqual({ postgresql: { condition: 'service_healthy' } });
  expect(dependsOn('temporal')).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  expect(dependsOn('temporal-namespace')).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(dependsOn('temporal-search-attributes')).toEqual({
    'temporal-namespace': { condition: 'service_completed_successfully' },
  });
  expect(dependsOn('temporal-ui')).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(dependsOn('worker')).toEqual({
    temporal: { condition: 'service_healthy' },
    'temporal-search-attributes': { condition: 'service_completed_successfully' },
    influxdb: { condition: 'service_healthy' },
  });
  expect(dependsOn('grafana')).toEqual({
    influxdb: { condition: 'service_healthy' },
    prometheus: { condition: 'service_healthy' },
  });
  // Every condition names a service whose state can satisfy it.
  for (const [name, { depends_on = {} }] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(depends_on)) {
      if (condition === 'service_healthy') expect(service(dependency).healthcheck, `${name} waits for ${dependency}'s health`).toBeDefined();
      if (condition === 'service_completed_successfully') expect(service(dependency).restart, `${dependency} is one-shot`).toBe('no');
    }
  }
});

it('runs each Temporal job from a script in the repository that stops at the first error', () => {
  const scripts = {
    'temporal-schema': '/deploy/setup-schema.sh',
    'temporal-namespace': '/deploy/create-namespace.sh',
    'temporal-search-attributes': '/deploy/register-search-attributes.sh',
  };
  for (const [job, containerPath] of Object.entries(scripts)) {
    expect(service(job).entrypoint, job).toEqual(['/bin/sh', containerPath]);
    const file = boundFile(job, containerPath);
    expect(file, `${job} mounts its script`).toBeDefined();
    const text = readFileSync(join(projectRoot, file ?? ''), 'utf8');
    expect(text, `${file} stops on errors`).toMatch(/^set -eu$/m);
    expect(text, `${file} fails loudly`).not.toContain('|| true');
  }
  const schema = readFileSync(join(projectRoot, 'deploy/temporal/setup-schema.sh'), 'utf8');
  expect(schema).toContain('setup-schema -v 0.0');
  expect(schema).toContain('update-schema -d "$versioned"');
  expect(schema).toContain('/etc/temporal/schema/postgresql/v12');
});

it('keeps the PostgreSQL password in its secret file only', () => {
  expect(composeText).not.toMatch(/POSTGRES_PWD:|POSTGRES_PASSWORD:|SQL_PASSWORD:/);
  for (const name of ['postgresql', 'temporal-schema', 'temporal']) expect(service(name).secrets, name).toContain('postgres_password');
  expect(service('temporal').entrypoint?.join(' ')).toContain('POSTGRES_PWD="$$(cat /run/secrets/postgres_password)"');
  const dynamicConfig = service('temporal').environment?.['DYNAMIC_CONFIG_FILE_PATH'] ?? '';
  expect(existsSync(join(projectRoot, 'deploy/temporal/dynamicconfig', dynamicConfig.split('/').pop() ?? ''))).toBe(true);
});

it('gives the worker every variable it requires, and only variables it reads', () => {
  const environment = service('worker').environment ?? {};
  const provided = Object.keys(environment).map((name) => name.replace(/_FILE$/, ''));
  const { required, optional, oneOf } = workerVariables();
  for (const name of required) expect(provided, `worker gets ${name}`).toContain(name);
  for (const group of oneOf) expect(group.filter((name) => provided.includes(name)), `worker gets one of ${group.join(', ')}`).not.toEqual([]);
  for (const name of provided) expect([...required, ...optional], `worker reads ${name}`).toContain(name);
});

it('passes the WattTime password as a Docker secret and never a secret as a plain value', () => {
  const environment = service('worker').environment ?? {};
  const given = secretFileVariables.filter((name) => name in environment || `${name}_FILE` in environment);
  expect(given).toEqual(['WATTTIME_PASSWORD', 'INFLUXDB_TOKEN']);
  for (const name of given) expect(environment[name], `${name} is not inline`).toBeUndefined();
  expect(environment['WATTTIME_PASSWORD_FILE']).toBe('/run/secrets/watttime_password');
  expect(service('worker').secrets).toEqual(['watttime_password']);
  for (const [name, { file }] of Object.entries(compose.secrets)) expect(file).toBe(`./secrets/${name}`);
});

it("writes to InfluxDB with a token its init script limits to the bucket, not the operator's token", () => {
  const influxdb = service('influxdb');
  expect(boundFile('influxdb', '/docker-entrypoint-initdb.d')).toBe('./deploy/influxdb/init');
  const script = join(projectRoot, 'deploy/influxdb/init/create-scoped-tokens.sh');
  accessSync(script, constants.X_OK); // the image runs only executable *.sh files
  const text = readFileSync(script, 'utf8');
  expect(text).toMatch(/^set -euo pipefail$/m);
  expect(text).toContain('create_token worker 1000 "carbon-intensity worker: write ${DOCKER_INFLUXDB_INIT_BUCKET}" --write-bucket "$bucket_id"');
  expect(text).toContain('create_token grafana 472 "Grafana: read ${DOCKER_INFLUXDB_INIT_BUCKET}" --read-bucket "$bucket_id"');
  expect(text).not.toMatch(/--(write|read)-(buckets|orgs|authorizations)|--all-access|--operator/);

  // The token directory is a volume InfluxDB writes and the consumers mount read-only.
  const tokenDir = influxdb.environment?.['SCOPED_TOKEN_DIR'];
  expect(influxdb.volumes).toContain(`influxdb-tokens:${tokenDir}`);
  expect(service('worker').volumes).toContain('influxdb-tokens:/run/influxdb-tokens:ro');
  expect(service('grafana').volumes).toContain('influxdb-tokens:/run/influxdb-tokens:ro');
  expect(service('worker').environment?.['INFLUXDB_TOKEN_FILE']).toBe('/run/influxdb-tokens/worker');
  // Healthy only once both tokens exist, so the worker and Grafana never start without theirs.
  expect(influxdb.healthcheck?.test.join(' ')).toContain(`test -s ${tokenDir}/worker && test -s ${tokenDir}/grafana`);
  expect(influxdb.secrets).toEqual(['influxdb_admin_password', 'influxdb_admin_token']);
});

it("keeps InfluxDB's data and its config directory in volumes", () => {
  const volumes = service('influxdb').volumes ?? [];
  expect(volumes).toContain('influxdb-data:/var/lib/influxdb2');
  expect(volumes).toContain('influxdb-config:/etc/influxdb2');
  for (const volume of ['influxdb-data', 'influxdb-config', 'influxdb-tokens', 'prometheus-data', 'grafana-data']) {
    expect(compose.volumes, volume).toHaveProperty(volume);
  }
});

it('health-checks the worker on its /health endpoint', () => {
  const test = service('worker').healthcheck?.test.join(' ') ?? '';
  expect(test).toContain(`http://127.0.0.1:${service('worker').environment?.['HEALTH_PORT']}/health`);
});

it('lets a stopping worker finish the fetch under way: attempt timeout < shutdownGraceTime < stop_grace_period', () => {
  // Docker's default grace is 10 s; one fetch attempt may take 30 s. The worker waits for the
  // attempt under way (its shutdownGraceTime), and Docker waits for the worker.
  const activityOptions = readFileSync(join(projectRoot, 'workflows/activity-calls.ts'), 'utf8');
  expect(activityOptions).toContain('fetchAndStore: ACTIVITY_ATTEMPT_SECONDS * 1000,');
  const worker = readFileSync(join(projectRoot, 'worker/run-worker.ts'), 'utf8');
  expect(worker).toContain('shutdownGraceTime: `${SHUTDOWN_GRACE_SECONDS}s`');
  expect([ACTIVITY_ATTEMPT_SECONDS, SHUTDOWN_GRACE_SECONDS]).toEqual([30, 35]);
  expect(service('worker').stop_grace_period).toBe('45s');
  const stopSeconds = Number(/^(\d+)s$/.exec(service('worker').stop_grace_period ?? '')?.[1]);
  expect(stopSeconds).toBeGreaterThan(SHUTDOWN_GRACE_SECONDS);
  expect(SHUTDOWN_GRACE_SECONDS).toBeGreaterThan(ACTIVITY_ATTEMPT_SECONDS);
});

it('has Prometheus scrape the worker on its metrics port', () => {
  const configPath = boundFile('prometheus', '/etc/prometheus/prometheus.yml');
  expect(configPath).toBe('./deploy/prometheus/prometheus.yml');
  const config = parse(readFileSync(join(projectRoot, configPath ?? ''), 'utf8')) as {
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  const worker = config.scrape_configs.find((job) => job.job_name === 'carbon-intensity-worker');
  expect(worker?.static_configs).toEqual([{ targets: [`worker:${service('worker').environment?.['METRICS_PORT']}`] }]);
});

it('provisions Grafana with an InfluxDB (Flux) and a Prometheus datasource and the dashboard', () => {
  const grafana = service('grafana');
  expect(boundFile('grafana', '/etc/grafana/provisioning')).toBe('./deploy/grafana/provisioning');
  expect(boundFile('grafana', '/etc/grafana/dashboards')).toBe('./deploy/grafana/dashboards');
  expect(grafana.environment?.['GF_SECURITY_ADMIN_PASSWORD__FILE']).toBe('/run/secrets/grafana_admin_password');

  const datasources = parse(readFileSync(join(projectRoot, 'deploy/grafana/provisioning/datasources/datasources.yml'), 'utf8')) as {
    datasources: { uid: string; type: string; url: string; jsonData: Record<string, string>; secureJsonData?: Record<string, string> }[];
  };
  const influx = datasources.datasources.find((source) => source.type === 'influxdb');
  expect(influx).toMatchObject({ uid: 'carbon-influxdb', url: 'http://influxdb:8086', jsonData: { version: 'Flux' } });
  expect(influx?.secureJsonData?.['token']).toBe('$__file{/run/influxdb-tokens/grafana}');
  const prometheus = datasources.datasources.find((source) => source.type === 'prometheus');
  expect(prometheus).toMatchObject({ uid: 'carbon-prometheus', url: 'http://prometheus:9090' });
  // The datasources' ${VAR}s are in Grafana's environment.
  expect(Object.keys(grafana.environment ?? {})).toEqual(expect.arrayContaining(['INFLUXDB_ORG', 'INFLUXDB_BUCKET']));

  const providers = parse(readFileSync(join(projectRoot, 'deploy/grafana/provisioning/dashboards/dashboards.yml'), 'utf8')) as {
    providers: { type: string; options: { path: string } }[];
  };
  expect(providers.providers).toMatchObject([{ type: 'file', options: { path: '/etc/grafana/dashboards' } }]);
  expect(existsSync(join(projectRoot, 'deploy/grafana/dashboards/carbon-intensity.json'))).toBe(true);
  expect(grafana.environment?.['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH']).toBe('/etc/grafana/dashboards/carbon-intensity.json');
});

it('builds the worker from a multi-stage Dockerfile: compiled JavaScript and a prebuilt workflow bundle, as a non-root user', () => {
  const dockerfile = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
  expect(dockerfile).toMatch(/^USER node$/m);
  for (const line of dockerfile.match(/^FROM .*/gm) ?? []) expect(line).toMatch(/^FROM [\w./-]+:\d+\.\d+\.\d+/);
  expect(dockerfile).toMatch(/^RUN npm run build$/m);
  expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  expect(dockerfile).toMatch(/^CMD \["node", "dist\/worker\/main\.js"\]$/m);
  expect(dockerfile).not.toMatch(/--import tsx|\.ts\b/);
  const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(packageJson.scripts['build']).toBe('tsc -p tsconfig.build.json && node dist/worker/bundle.js');
});
