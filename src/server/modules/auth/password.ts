/**
 * Password hashing: Argon2id at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).
 * Each hash holds 19 MiB while it runs; a semaphore caps how many run at once
 * (PASSWORD_HASH_CONCURRENCY, default 2 = the cores of a small box), so a login storm queues
 * instead of exhausting memory or starving the event loop's thread pool.
 */
import { hash, verify } from '@node-rs/argon2';

const PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class PasswordHasher {
  private running = 0;
  private waiting: Array<() => void> = [];
  private dummy: Promise<string> | undefined;

  constructor(private readonly concurrency: number) {}

  hash(password: string): Promise<string> {
    return this.limit(() => hash(password, PARAMS));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.limit(() => verify(passwordHash, password).catch(() => false));
  }

  /** Same cost as a real check, for unknown accounts, so timing does not reveal which emails exist. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash('rapport-dummy-password');
    await this.verify(await this.dummy, password);
    return false;
  }

  private async limit<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.concurrency)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
