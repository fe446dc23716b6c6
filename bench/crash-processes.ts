/** Real `rapport` processes for the crash scripts: started with tsx, killed with signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { AppContext } from '../src/server/context.js';

const ROOT = resolve(import.meta.dirname, '..');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const rand = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** `rapport <command>`; stdout is piped when `onLine` listens (pino's JSON lines). */
export function startRapport(command: 'worker' | 'serve', env: Record<string, string>, onLine?: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'inherit'],
  });
  if (onLine) {
    let rest = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  return child;
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Emails neither sent nor skipped yet. */
export async function outstanding(ctx: AppContext): Promise<number> {
  const row = await ctx.database.db
    .selectFrom('emails')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sent_at', 'is', null)
    .where('skipped_reason', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
