/**
 * The invitation properties at length: `npm run test:long` (RAPPORT_LONG=1). 10,000 model runs and
 * 3,000 two-world privacy runs per dialect, longer histories than the default run. The default run
 * (test/invitations.*.test.ts) runs the same properties with fewer, shorter runs.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { relaxDurability, relaxPostgresDurability, runModelProperty, runPrivacyProperty, runsFromEnv } from '../_model.js';
import { createTestApp, dialects, type TestApp } from '../_util.js';

relaxPostgresDurability();

const HOURS = 3_600_000;

describe.each(dialects)('invitations at length [%s]', (dialect) => {
  let model: TestApp;
  let privacy: TestApp;
  beforeAll(async () => {
    model = await createTestApp(dialect, { INVITE_WEEKLY_LIMIT: '2', INVITE_OUTSTANDING_LIMIT: '2' });
    privacy = await createTestApp(dialect);
    await relaxDurability(model);
    await relaxDurability(privacy);
  });
  afterAll(async () => {
    await model.close();
    await privacy.close();
  });

  it('answers every command as the model of PRODUCT.md §2 predicts, and storage keeps its invariants after each', async () => {
    await runModelProperty(model, runsFromEnv(1000, 10_000), 30);
  }, 6 * HOURS);

  it('keeps an ignored, IDK or reported invitation indistinguishable from an untouched one to its sender', async () => {
    await runPrivacyProperty(privacy, runsFromEnv(300, 3000), 24);
  }, 6 * HOURS);
});
