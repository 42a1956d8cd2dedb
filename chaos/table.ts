import Table from 'cli-table3';
import type { ChaosResult } from './run';

/**
 * The one table a run ends with: per fault, periods expected / stored / wrong / duplicated,
 * recovery seconds, logins against the minimum, failed logins; then the totals and secret hits.
 */
export function chaosTable(result: ChaosResult): string {
  const table = new Table({
    head: ['fault', 'periods exp/stored/wrong/dup', 'recovery s', 'logins (min)', 'failed logins', 'secret hits hist/logs/health'],
    style: { head: [], border: [] },
  });
  const periods = (p: ChaosResult['total']): string => `${p.expected} / ${p.stored} / ${p.wrong} / ${p.duplicated}`;
  for (const row of result.rows) {
    table.push([
      row.fault,
      periods(row.periods),
      row.recoverySeconds === null ? 'never' : row.recoverySeconds.toFixed(1),
      `${row.logins} (${row.minimumLogins})`,
      String(row.failedLogins),
      '',
    ]);
  }
  const recoveries = result.rows.flatMap((r) => (r.recoverySeconds === null ? [] : [r.recoverySeconds]));
  const { histories, logs, health } = result.secrets;
  table.push([
    `whole run (${result.issuedTokens} tokens issued)`,
    periods(result.total),
    recoveries.length > 0 ? `${Math.min(...recoveries).toFixed(0)}–${Math.max(...recoveries).toFixed(0)}` : 'never',
    `${result.logins} (${result.minimumLogins})`,
    String(result.failedLogins),
    `${histories} / ${logs} / ${health}`,
  ]);
  return table.toString();
}
