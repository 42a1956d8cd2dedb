/**
 * `npm run chaos [-- --short]`: the fault-injection run on the real stack (see chaos/run.ts).
 * Prints one table; exits 1 when a promise broke (a lost or wrong period, a secret hit, a fault
 * the worker never recovered from), naming each.
 */
import { Command } from 'commander';
import { runChaos } from './run';
import { chaosTable } from './table';

const program = new Command('chaos')
  .description('inject faults into the real stack and check that no period is lost and no secret leaks')
  .option('--short', 'the shortened run (about 6 minutes) that npm test runs', false)
  .action(async (options: { short: boolean }) => {
    const result = await runChaos({ mode: options.short ? 'short' : 'full', log: (line) => process.stderr.write(`chaos: ${line}\n`) });
    process.stdout.write(`${chaosTable(result)}\n`);
    for (const line of result.broken) process.stdout.write(`BROKEN: ${line}\n`);
    process.stdout.write(result.broken.length === 0 ? 'All promises kept.\n' : `${result.broken.length} promise(s) broken; logs in ${result.workDir}\n`);
    process.exitCode = result.broken.length === 0 ? 0 : 1;
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
