/** WattTime accounts the emulator accepts, each with the regions its paid plan covers. */
import { z } from 'zod';
import { findRegion } from './regions';

export interface EmulatorAccount {
  username: string;
  password: string;
  /** Regions with forecast and historical access besides CAISO_NORTH (which every plan has). */
  regions: readonly string[];
}

/** A free account: full access to CAISO_NORTH only. A local emulator, so the password is no secret. */
export const DEFAULT_ACCOUNT: EmulatorAccount = { username: 'demo', password: 'demo-password', regions: [] };

export const accountSchema = z.object({
  // Basic auth splits `user:password` at the first colon, so a username cannot contain one.
  username: z.string().min(1).regex(/^[^:]+$/, 'username must not contain ":"'),
  password: z.string().min(1),
  regions: z
    .array(z.string().refine((r) => findRegion(r) !== undefined, { message: 'unknown region' }))
    .default([]),
});

export class AccountStore {
  private readonly accounts = new Map<string, EmulatorAccount>();

  constructor(initial: readonly EmulatorAccount[]) {
    for (const account of initial) this.add(account);
  }

  /** Adds an account, replacing one with the same username. Throws on an invalid account. */
  add(account: EmulatorAccount): void {
    const parsed = accountSchema.parse(account);
    this.accounts.set(parsed.username, parsed);
  }

  get(username: string): EmulatorAccount | undefined {
    return this.accounts.get(username);
  }

  authenticate(username: string, password: string): EmulatorAccount | undefined {
    const account = this.accounts.get(username);
    return account?.password === password ? account : undefined;
  }
}
