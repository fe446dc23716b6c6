/**
 * The three-step sequence of the crash test's `sequence` scenario (crash-sequence.ts), shared by the
 * script (which enrols) and the bench-only worker entry (sequence-worker.ts, which runs it). Each
 * step's effect is a row in `crash_step_effects`, written in the step's transaction and without a
 * unique key, so a step that ran twice shows as two rows.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../src/server/db/database.js';
import type { SequenceDefinition } from '../src/server/jobs/sequence.js';

export const CRASH_SEQUENCE = 'crash-three-step';
export const CRASH_STEPS = 3;
const Context = z.object({ offsetMs: z.number() });

export async function createEffectsTable(db: Executor): Promise<void> {
  await sql`create table crash_step_effects (enrolment_id text not null, step integer not null, ran_at text not null)`.execute(db);
}

export const crashSequence: SequenceDefinition<z.infer<typeof Context>> = {
  name: CRASH_SEQUENCE,
  context: Context,
  steps: Array.from({ length: CRASH_STEPS }, (_, step) => ({
    // Step 0 is spread over the run by the enrolment's offset; the next ones follow 100 ms apart.
    due: (e) => new Date(step === 0 ? e.enrolledAt.getTime() + e.context.offsetMs : (e.lastStepAt ?? e.enrolledAt).getTime() + 100),
    run: async (tx, e, now) => {
      await sql`insert into crash_step_effects (enrolment_id, step, ran_at) values (${e.id}, ${step}, ${now.toISOString()})`.execute(tx.db);
      return { kind: 'next' };
    },
  })),
};
