/** `npm run emulator`: runs the WattTime emulator until SIGINT/SIGTERM. */
import { Command, InvalidArgumentError } from 'commander';
import { parseAccountSpec } from './account-spec';
import { DEFAULT_ACCOUNT, startEmulator, type EmulatorAccount } from './server';

function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

interface CliOptions {
  port: number;
  host: string;
  account: EmulatorAccount[];
  tokenTtl?: number;
  jwtTokens?: boolean;
  callsPer5Minutes?: number;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('watttime-emulator')
    .description('A local WattTime API v3 emulator (see WATTTIME.md)')
    .option('--port <port>', 'port to listen on (0 = any free port)', integerIn(0, 65_535), 8090)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--account <user:password[:REGION,…]>',
      'an account, repeatable; listed regions get forecast and historical access besides CAISO_NORTH',
      (spec: string, previous: EmulatorAccount[]) => [...previous, parseAccountSpec(spec)],
      [],
    )
    .option('--token-ttl <seconds>', 'lifetime of issued tokens (default 1800)', integerIn(1, 86_400 * 365))
    .option('--jwt-tokens', 'issue JWT-shaped tokens whose exp tells clients a short --token-ttl')
    .option('--calls-per-5-minutes <calls>', "data calls each account may make per rolling 5 minutes (default WattTime's 3000)", integerIn(1, 100_000_000))
    .parse();
  const options = program.opts<CliOptions>();

  const accounts = options.account.length > 0 ? options.account : [DEFAULT_ACCOUNT];
  const emulator = await startEmulator({
    host: options.host,
    port: options.port,
    accounts,
    tokenTtlSeconds: options.tokenTtl,
    tokenFormat: options.jwtTokens === true ? 'jwt' : 'opaque',
    callsPer5Minutes: options.callsPer5Minutes,
  });
  // Handlers first: whoever reads the line below may signal at once.
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // Only the built-in demo account's password is shown: it is public anyway.
  const who =
    options.account.length > 0
      ? `accounts: ${accounts.map((a) => a.username).join(', ')}`
      : `account: ${DEFAULT_ACCOUNT.username} / ${DEFAULT_ACCOUNT.password}`;
  process.stdout.write(`WattTime emulator listening on ${emulator.url} (${who})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`watttime-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
