/**
 * Sender privacy (PRODUCT.md §2): random histories replayed in two worlds on fresh members. In
 * world 1 recipients ignore (and sometimes restore to the inbox), say "I don't know" or report spam
 * at some points; in world 2 they do nothing instead; everything else (sends, withdraws, accepts, replies, removals, clock moves,
 * re-invites during and after the cooldown and after expiry) is identical. Everything a sender can
 * observe — each send and withdraw answer, the sent list under every filter and its pages, each
 * invitation, its events, the pending count, every profile's relationship, the sender's Account health
 * (which only the scheduled evaluation may change, and none runs inside a history) — must be byte-identical
 * once ids and times are normalised, and must never name idk / spam / ignored / folder.
 *
 * Runs: 300 on SQLite and 100 on PostgreSQL in `npm test` (RAPPORT_PROPERTY_RUNS overrides; test/long runs more).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuSeconds, relaxDurability, relaxPostgresDurability, runPrivacyProperty, runsFromEnv } from './_model.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

relaxPostgresDurability();

const runs = (dialect: string) => runsFromEnv(dialect === 'postgres' ? 100 : 300, 300);
const MAX_COMMANDS = 16;

/** Situations the histories must reach for the comparison to mean something. */
const MUST_OCCUR = [
  'quiet:ignore:200',
  'quiet:idk:200',
  'quiet:spam:200',
  'quiet:restore-quieted:200',
  'withdraw-quieted:200',
  'reinvite:while-open:200',
  'reinvite:during-cooldown:429',
  'reinvite:after-cooldown:201',
  'reinvite:after-expiry:201',
  'observe-quieted',
];

describe.each(dialects)('sender privacy [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // The ladder at its most sensitive: were it evaluated when an answer arrives, one IDK would warn
    // the sender and two would restrict its sends. Only the scheduled evaluation may move it, and none
    // runs inside a history, so the sender's health and every send must stay the same in both worlds.
    t = await createTestApp(dialect, { SAFETY_WARN_IDK: '1', SAFETY_RESTRICT_IDK: '2' });
    await relaxDurability(t);
  });
  afterAll(() => t.close());

  it('keeps an ignored, restored, IDK or reported invitation indistinguishable from an untouched one to its sender', async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const RUNS = runs(dialect);
    const stats = await runPrivacyProperty(t, RUNS, MAX_COMMANDS);
    console.info(`[${dialect}] ${RUNS} privacy runs: ${((performance.now() - started) / 1000).toFixed(1)} s wall, ${cpuSeconds(process.cpuUsage(cpu)).toFixed(1)} s CPU in this process`);
    if (RUNS >= 300) expect(MUST_OCCUR.filter((label) => !stats.has(label)), 'situations the histories never reached').toEqual([]);
  }, 900_000);
});
