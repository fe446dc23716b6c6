/**
 * A bench-only `rapport worker`: the real context and worker (src/server/main.ts `work`), plus the
 * crash test's three-step sequence, so that a killed process is a real worker that knows it.
 * `node --import tsx bench/sequence-worker.ts`, configured by the environment like `rapport worker`.
 */
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';
import { createWorker, scheduleRecurring } from '../src/server/context.jobs.js';
import { crashSequence } from './crash-sequence.def.js';

const ctx = await createContext(loadConfig(), { graph: false });
ctx.sequences.define(crashSequence);
const worker = createWorker(ctx);
await scheduleRecurring(ctx);
worker.start();
const stop = async () => {
  await worker.stop();
  await closeContext(ctx);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
