import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { resolvePrometheus } from './prometheus-binary';
import { waitUntilReady } from './wait-until';

export interface PrometheusScrapeTarget {
  /** The `job` label of the target's series, e.g. "carbon-intensity-worker". */
  readonly job: string;
  /** `host:port` serving `/metrics`, e.g. "127.0.0.1:9464". */
  readonly address: string;
}

export interface PrometheusServerOptions {
  readonly scrapeTargets: readonly PrometheusScrapeTarget[];
  /** Holds the generated config, the TSDB and the server log. */
  readonly workDir: string;
  /** Scrape (and rule evaluation) interval in seconds; default 1, so tests see samples at once. */
  readonly scrapeIntervalSeconds?: number;
}

export interface PrometheusServer {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:24567` (`/api/v1/query`, `/api/v1/targets`). */
  readonly url: string;
  readonly configFile: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Writes a config scraping `scrapeTargets` and starts Prometheus on a free loopback port, its
 * data in `workDir/data`; resolves once `/-/ready` answers 200. Throws MissingDependencyError when
 * no Prometheus can be had, and an error with the log's tail when it exits or is not ready in time.
 */
export async function startPrometheus(options: PrometheusServerOptions): Promise<PrometheusServer> {
  const prometheus = resolvePrometheus();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(options.workDir, { recursive: true });
  const configFile = join(options.workDir, 'prometheus.yml');
  writeFileSync(configFile, scrapeConfig(options.scrapeTargets, options.scrapeIntervalSeconds ?? 1));
  const logFile = join(options.workDir, 'prometheus.log');
  const server = ManagedProcess.start({
    name: 'Prometheus',
    command: prometheus,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    logFile,
  });
  try {
    await waitUntilReady(server, async () => (await fetch(`${url}/-/ready`)).status === 200);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, configFile, logFile, stop: () => server.stop() };
}

/** Prometheus reads YAML, and JSON is YAML: one scrape job per job name, with all its targets. */
function scrapeConfig(targets: readonly PrometheusScrapeTarget[], intervalSeconds: number): string {
  const jobs = [...new Set(targets.map((target) => target.job))];
  return JSON.stringify(
    {
      global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
      scrape_configs: jobs.map((job) => ({
        job_name: job,
        static_configs: [{ targets: targets.filter((target) => target.job === job).map((target) => target.address) }],
      })),
    },
    null,
    2,
  );
}
