import { join } from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { MissingDependencyError } from '../../servers/missing-dependency-error';
import { startPrometheus, type PrometheusServer } from '../../servers/prometheus-server';
import { eventually, instantQuery, serveMetrics, type MetricsTarget } from '../support/prometheus';

let prometheus: PrometheusServer | undefined;
let target: MetricsTarget | undefined;

afterEach(async () => {
  await prometheus?.stop();
  await target?.close();
});

it('starts a real Prometheus that scrapes a target and answers PromQL with the scraped value', async () => {
  target = await serveMetrics(() => '# TYPE smoke_moer_lbs_per_mwh gauge\nsmoke_moer_lbs_per_mwh{region="CAISO_NORTH"} 870.5\n');
  prometheus = await startPrometheus({
    scrapeTargets: [{ job: 'smoke', address: target.address }],
    workDir: join(inject('logDir'), 'prometheus-smoke'),
  });

  const buildInfo = (await (await fetch(`${prometheus.url}/api/v1/status/buildinfo`)).json()) as { data: { version: string } };
  expect(buildInfo.data.version).toMatch(/^\d+\.\d+\.\d+/);
  await eventually('a scrape of the target', async () => (await instantQuery(prometheus!.url, 'smoke_moer_lbs_per_mwh')).length > 0);

  expect(await instantQuery(prometheus.url, 'smoke_moer_lbs_per_mwh')).toEqual([
    { metric: { __name__: 'smoke_moer_lbs_per_mwh', instance: target.address, job: 'smoke', region: 'CAISO_NORTH' }, value: 870.5 },
  ]);
  expect(await instantQuery(prometheus.url, 'up')).toEqual([
    { metric: { __name__: 'up', instance: target.address, job: 'smoke' }, value: 1 },
  ]);
  expect(target.scrapes()).toBeGreaterThan(0);
});

it('fails with one line naming PROMETHEUS_PATH when it points at a missing file', async () => {
  const saved = process.env['PROMETHEUS_PATH'];
  process.env['PROMETHEUS_PATH'] = '/nonexistent/prometheus';
  try {
    const failure = await startPrometheus({ scrapeTargets: [], workDir: join(inject('logDir'), 'prometheus-missing') }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingDependencyError);
    expect((failure as Error).message).toBe('PROMETHEUS_PATH=/nonexistent/prometheus is not an executable file; fix or unset PROMETHEUS_PATH.');
  } finally {
    if (saved === undefined) delete process.env['PROMETHEUS_PATH'];
    else process.env['PROMETHEUS_PATH'] = saved;
  }
});
