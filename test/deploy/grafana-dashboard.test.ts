import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildDashboard, dashboardFile, queriesDir, readQuery } from '../../deploy/grafana/dashboard';
import { metricDefinitions } from '../../common/metric-names';

// Grafana cannot run here: the dashboard is checked against the query files the other deploy
// tests run on real InfluxDB and Prometheus, so a panel cannot show a query nobody tested.
interface PanelTarget {
  datasource: { type: string; uid: string };
  query?: string;
  expr?: string;
}
interface Dashboard {
  panels: { title: string; type: string; timeFrom?: string; targets: PanelTarget[] }[];
  time: { from: string; to: string };
  templating: { list: { name: string; query: string; datasource?: { uid: string } }[] };
}
const committed = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
const queryFiles = readdirSync(queriesDir).sort();

it('is the JSON that `npm run dashboard` builds from the query files', () => {
  expect(committed).toEqual(JSON.parse(JSON.stringify(buildDashboard())));
});

it('embeds every query file exactly once, Flux on InfluxDB and PromQL on Prometheus', () => {
  const embedded = [
    ...committed.panels.flatMap((panel) => panel.targets.map((t) => ({ text: t.query ?? t.expr, uid: t.datasource.uid }))),
    ...committed.templating.list.filter((v) => v.datasource).map((v) => ({ text: v.query, uid: v.datasource?.uid })),
  ];
  expect(embedded).toHaveLength(queryFiles.length);
  for (const file of queryFiles) {
    const uses = embedded.filter((use) => use.text === readQuery(file));
    expect(uses, file).toHaveLength(1);
    expect(uses[0]?.uid, file).toBe(file.endsWith('.flux') ? 'carbon-influxdb' : 'carbon-prometheus');
  }
});

it('has the panels operators asked for: intensity now, the last 24 h, the forecast, the index and health', () => {
  expect(committed.panels.map((panel) => panel.title)).toEqual([
    'Intensity now',
    'Index',
    'Last 24 h',
    'Forecast',
    'Worker',
    'Status: since last successful fetch',
    'Staleness: age of the latest point_time',
    'Failures',
  ]);
});

it('queries only metric names the worker defines', () => {
  const defined = Object.values(metricDefinitions).map((metric) => metric.name);
  for (const file of queryFiles.filter((name) => name.endsWith('.promql'))) {
    const names = readQuery(file).match(/\b(carbon_intensity|watttime|influxdb)_[a-z_]+\b/g) ?? [];
    for (const name of names) expect(defined, `${file} uses ${name}`).toContain(name);
  }
});

it('shows the forecast a day ahead, while history and Prometheus panels end now', () => {
  expect(committed.time).toEqual({ from: 'now-24h', to: 'now+24h' });
  const endingNow = committed.panels.filter((panel) => panel.timeFrom !== undefined).map((panel) => panel.title);
  // Past now, `time() - gauge` would still find the last sample in the 5-minute lookback and overstate.
  for (const panel of committed.panels.filter((p) => p.targets.some((t) => t.datasource.type === 'prometheus'))) {
    expect(endingNow, panel.title).toContain(panel.title);
  }
  expect(endingNow).toContain('Last 24 h');
  expect(endingNow).not.toContain('Forecast');
});
