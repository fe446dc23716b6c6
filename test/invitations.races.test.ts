/**
 * Races on the invitation lifecycle (PRODUCT.md §2: "Double accept, accept racing withdraw, and
 * crossing invitations each have exactly one winner"), over real HTTP: many simultaneous fetch()
 * calls against a listening server, authenticated half by cookie session + CSRF and half by Bearer
 * API token.
 *
 * Each scenario runs on every dialect in two topologies:
 * - one process: the test's own app, listening on a free port;
 * - two processes: two `rapport serve` children on one database (one WAL file on SQLite, one
 *   PostgreSQL database), requests split across them. On SQLite this drives the cross-process
 *   SQLITE_BUSY path of `Database.transaction()`; on PostgreSQL, two independent pools.
 *
 * Scenarios: crossing invitations, double accept, accept racing withdraw, restore (Undo of an
 * ignore) racing accept / withdraw / IDK, many identical sends, and the per-member limits (weekly invitations, connection cap) under concurrent writes — the last one
 * failed on PostgreSQL before InvitationService locked the members' rows (check-then-insert under
 * READ COMMITTED let 9–11 concurrent sends through a weekly limit of 5, 4 accepts through a cap of 3).
 *
 * Every response is checked: no 5xx and no database error text (SQLITE_BUSY, "database is locked",
 * serialization failure, deadlock) ever reaches a client. After each scenario the database
 * invariants are checked directly: at most one open invitation per pair, connections symmetric,
 * every connection made by an accepted invitation, no open invitation between connected members.
 *
 * RAPPORT_RACE_STATS=1 prints who won each race at the end of the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/contracts/errors.js';
import type { ReceivedInvitation, SendResult, SentInvitation } from '../src/contracts/invitations.js';
import type { Dialect } from '../src/server/db/database.js';
import {
  act,
  assertClean,
  assertInvariants,
  connectionRows,
  CONNECTION_LIMIT,
  countBy,
  invitationsOfPair,
  invite,
  makeMembers,
  oneProcess,
  pairsOf,
  send,
  twoProcesses,
  WEEKLY_LIMIT,
  type Cluster,
  type Member,
  type Res,
} from './_races.js';
import { dialects } from './_util.js';

/** Scenario sizes. */
const CROSSING_PAIRS = 20;
const DOUBLE_ACCEPT_INVITATIONS = 5;
const ACCEPTS_EACH = 20;
const ACCEPT_VS_WITHDRAW = 40;
const SAME_PAIR_SENDS = 50;
const SAME_PAIR_PAIRS = 2;
const LIMIT_ATTEMPTS = 12;
/** Ignored invitations whose restore races an accept, a withdraw or an IDK (a third each). */
const RESTORE_RACES = 36;

/** Win statistics, printed once at the end of the file for the report. */
const stats: string[] = [];

/**
 * Clusters by dialect and topology. Child processes take seconds to boot (tsx), so the two-process
 * clusters are all started when the file starts and boot while the one-process scenarios run.
 */
const clusters = new Map<string, Promise<Cluster>>();
function cluster(key: string, setup: () => Promise<Cluster>): Promise<Cluster> {
  let p = clusters.get(key);
  if (!p) {
    p = setup();
    p.catch(() => undefined); // reported where it is awaited
    clusters.set(key, p);
  }
  return p;
}

beforeAll(() => {
  for (const d of dialects) void cluster(`${d}/two processes`, () => twoProcesses(d));
});

afterAll(async () => {
  await Promise.all([...clusters.values()].map((p) => p.then((c) => c.close(), () => undefined)));
  if (process.env.RAPPORT_RACE_STATS) process.stdout.write(`\n${stats.join('\n')}\n`);
});

function scenarios(topology: string, dialect: Dialect, setup: (dialect: Dialect) => Promise<Cluster>) {
  describe(`${topology}`, () => {
    let c: Cluster;
    const all: Res[] = [];
    const fire = async (requests: Array<Promise<Res>>) => {
      const out = await Promise.all(requests);
      all.push(...out);
      assertClean(out);
      return out;
    };

    beforeAll(async () => {
      c = await cluster(`${dialect}/${topology}`, () => setup(dialect));
    });
    afterAll(async () => {
      await c?.close();
    });

    it(`crossing invitations: ${CROSSING_PAIRS} pairs invite each other at once, each pair connects exactly once`, async () => {
      const members = await makeMembers(c.ctx, CROSSING_PAIRS * 2, 'Crossing');
      const pairs = pairsOf(members);
      const requests: Array<Promise<Res>> = [];
      pairs.forEach(([a, b], i) => {
        requests.push(send(c, 2 * i, a, b), send(c, 2 * i + 1, b, a));
      });
      const out = await fire(requests);

      let firstSenderWon = 0;
      const db = c.ctx.database.db;
      for (const [i, [a, b]] of pairs.entries()) {
        const ab = out[2 * i] as Res;
        const ba = out[2 * i + 1] as Res;
        expect([ab.status, ba.status].sort(), `${ab.text} / ${ba.text}`).toEqual([200, 201]);
        // The one who sent first created the invitation; the other's send accepted it.
        const [created, accepting, invited] = ab.status === 201 ? [ab, ba, a] : [ba, ab, b];
        if (ab.status === 201) firstSenderWon++;
        expect((created.body as SendResult).outcome).toBe('sent');
        expect(accepting.body).toMatchObject({ outcome: 'connected', memberId: invited.id });

        const rows = await connectionRows(db, a, b);
        expect(rows).toHaveLength(2);
        const invitations = await invitationsOfPair(db, a, b);
        expect(invitations.map((r) => r.status)).toEqual(['accepted']);
        expect(rows.every((r) => r.invitation_id === invitations[0]?.id)).toBe(true);
      }
      stats.push(`${dialect}/${topology} crossing: ${CROSSING_PAIRS} pairs, A→B created the invitation ${firstSenderWon}×, B→A ${CROSSING_PAIRS - firstSenderWon}×`);
      await assertInvariants(db);
    });

    it(`double accept: ${ACCEPTS_EACH} simultaneous accepts of each of ${DOUBLE_ACCEPT_INVITATIONS} invitations all answer 200, one connection`, async () => {
      const pairs = pairsOf(await makeMembers(c.ctx, DOUBLE_ACCEPT_INVITATIONS * 2, 'Accept'));
      const ids = await invite(c, pairs);
      const requests: Array<Promise<Res>> = [];
      for (let k = 0; k < ACCEPTS_EACH; k++) {
        pairs.forEach(([, recipient], i) => requests.push(act(c, k + i, recipient, ids[i] as string, 'accept')));
      }
      const out = await fire(requests);
      for (const r of out) {
        expect(r.status, `${r.label}: ${r.text}`).toBe(200);
        expect((r.body as ReceivedInvitation).status).toBe('accepted');
      }
      const db = c.ctx.database.db;
      for (const [i, [a, b]] of pairs.entries()) {
        const id = ids[i] as string;
        expect(out.filter((r) => (r.body as ReceivedInvitation).id === id)).toHaveLength(ACCEPTS_EACH);
        expect(await connectionRows(db, a, b)).toHaveLength(2);
        const events = await db.selectFrom('invitation_events').select('action').where('invitation_id', '=', id).where('action', '=', 'accepted').execute();
        expect(events, 'one accepted event per invitation').toHaveLength(1);
        expect((await invitationsOfPair(db, a, b)).map((r) => r.status)).toEqual(['accepted']);
      }
      await assertInvariants(db);
    });

    it(`accept racing withdraw: ${ACCEPT_VS_WITHDRAW} invitations, exactly one winner each, the loser gets 409 InvitationClosed`, async () => {
      const pairs = pairsOf(await makeMembers(c.ctx, ACCEPT_VS_WITHDRAW * 2, 'Race'));
      const ids = await invite(c, pairs);
      // Issue order alternates so that each side gets to go first about half the time.
      const requests: Array<Promise<Res>> = [];
      const slots: Array<{ accept: number; withdraw: number }> = [];
      pairs.forEach(([sender, recipient], i) => {
        const id = ids[i] as string;
        const accept = () => act(c, i, recipient, id, 'accept');
        const withdraw = () => act(c, i + 1, sender, id, 'withdraw');
        if (i % 2 === 0) {
          slots.push({ accept: requests.length, withdraw: requests.length + 1 });
          requests.push(accept(), withdraw());
        } else {
          slots.push({ withdraw: requests.length, accept: requests.length + 1 });
          requests.push(withdraw(), accept());
        }
      });
      const out = await fire(requests);

      let acceptWon = 0;
      let withdrawWon = 0;
      const db = c.ctx.database.db;
      for (const [i, [a, b]] of pairs.entries()) {
        const slot = slots[i] as { accept: number; withdraw: number };
        const accept = out[slot.accept] as Res;
        const withdraw = out[slot.withdraw] as Res;
        expect([accept.status, withdraw.status].sort(), `${accept.text} / ${withdraw.text}`).toEqual([200, 409]);
        const winner = accept.status === 200 ? 'accepted' : 'withdrawn';
        const loser = (accept.status === 200 ? withdraw : accept).body as ErrorBody;
        expect(loser.error.code).toBe('InvitationClosed');
        expect(loser.error.details).toEqual({ status: winner });
        if (winner === 'accepted') {
          acceptWon++;
          expect((accept.body as ReceivedInvitation).status).toBe('accepted');
        } else {
          withdrawWon++;
          expect((withdraw.body as SentInvitation).status).toBe('withdrawn');
        }
        const invitations = await invitationsOfPair(db, a, b);
        expect(invitations.map((r) => r.status)).toEqual([winner]);
        expect(await connectionRows(db, a, b)).toHaveLength(winner === 'accepted' ? 2 : 0);
        const events = await db
          .selectFrom('invitation_events')
          .select('action')
          .where('invitation_id', '=', ids[i] as string)
          .where('action', 'in', ['accepted', 'withdrawn'])
          .execute();
        expect(events.map((e) => e.action)).toEqual([winner]);
      }
      stats.push(`${dialect}/${topology} accept vs withdraw: ${ACCEPT_VS_WITHDRAW} races, accept won ${acceptWon}×, withdraw won ${withdrawWon}×`);
      expect(acceptWon + withdrawWon).toBe(ACCEPT_VS_WITHDRAW);
      // Both outcomes must actually occur, or the race was not exercised from both sides.
      expect(acceptWon, 'accept never won').toBeGreaterThan(0);
      expect(withdrawWon, 'withdraw never won').toBeGreaterThan(0);
      await assertInvariants(db);
    });

    it(`restore racing accept, withdraw or IDK: ${RESTORE_RACES} ignored invitations, each answers as one of the two orders would`, async () => {
      const pairs = pairsOf(await makeMembers(c.ctx, RESTORE_RACES * 2, 'Undo'));
      const ids = await invite(c, pairs);
      const ignored = await fire(pairs.map(([, recipient], i) => act(c, i, recipient, ids[i] as string, 'ignore')));
      expect(ignored.map((r) => r.status)).toEqual(pairs.map(() => 200));
      const rivals = ['accept', 'withdraw', 'idk'] as const;
      const requests: Array<Promise<Res>> = [];
      const slots: Array<{ restore: number; rival: number }> = [];
      pairs.forEach(([sender, recipient], i) => {
        const id = ids[i] as string;
        const rival = rivals[i % 3] as (typeof rivals)[number];
        const restore = () => act(c, i, recipient, id, 'restore');
        const other = () => act(c, i + 1, rival === 'withdraw' ? sender : recipient, id, rival);
        // Issue order alternates (every 3 × 2 invitations covers each rival going first and second).
        if (Math.floor(i / 3) % 2 === 0) {
          slots.push({ restore: requests.length, rival: requests.length + 1 });
          requests.push(restore(), other());
        } else {
          slots.push({ rival: requests.length, restore: requests.length + 1 });
          requests.push(other(), restore());
        }
      });
      const out = await fire(requests);

      const won = { accept: 0, withdraw: 0, idk: 0 };
      const lost = { accept: 0, withdraw: 0, idk: 0 };
      const db = c.ctx.database.db;
      for (const [i, [a, b]] of pairs.entries()) {
        const rival = rivals[i % 3] as (typeof rivals)[number];
        const slot = slots[i] as { restore: number; rival: number };
        const restore = out[slot.restore] as Res;
        const other = out[slot.rival] as Res;
        // The rival succeeds in either order: from ignored, or from pending after the restore.
        expect(other.status, other.text).toBe(200);
        const final = { accept: 'accepted', withdraw: 'withdrawn', idk: 'ignored' }[rival];
        if (restore.status === 200) {
          won[rival]++;
          expect((restore.body as ReceivedInvitation).status).toBe('pending');
        } else {
          lost[rival]++;
          expect(restore.status, restore.text).toBe(409);
          const error = (restore.body as ErrorBody).error;
          if (rival === 'idk') expect(error.code).toBe('InvitationFlagged');
          else expect(error).toMatchObject({ code: 'InvitationClosed', details: { status: final } });
        }
        const rows = await db.selectFrom('invitations').select(['status', 'idk']).where('id', '=', ids[i] as string).execute();
        expect(rows).toEqual([{ status: final, idk: rival === 'idk' ? 1 : 0 }]);
        expect(await connectionRows(db, a, b)).toHaveLength(rival === 'accept' ? 2 : 0);
        // Sorted: event ids come from two processes' clocks, so their order is not the commit order.
        const events = await db.selectFrom('invitation_events').select('action').where('invitation_id', '=', ids[i] as string).execute();
        const rivalEvent = { accept: 'accepted', withdraw: 'withdrawn', idk: 'idk' }[rival];
        expect(events.map((e) => e.action).sort()).toEqual(['sent', 'ignored', rivalEvent, ...(restore.status === 200 ? ['restored'] : [])].sort());
      }
      stats.push(`${dialect}/${topology} restore vs accept / withdraw / IDK: restore first ${JSON.stringify(won)}, second ${JSON.stringify(lost)}`);
      // Which order happens is up to the server (in one process a restore, the shorter transaction,
      // nearly always comes first); each answer above was checked against the order that did.
      expect(Object.values(won).reduce((x, y) => x + y) + Object.values(lost).reduce((x, y) => x + y)).toBe(RESTORE_RACES);
      await assertInvariants(db);
    });

    it(`${SAME_PAIR_SENDS} simultaneous sends for one pair make one invitation: 1×201 and ${SAME_PAIR_SENDS - 1}×200 with the same id`, async () => {
      const pairs = pairsOf(await makeMembers(c.ctx, SAME_PAIR_PAIRS * 2, 'Repeat'));
      const requests: Array<Promise<Res>> = [];
      for (let k = 0; k < SAME_PAIR_SENDS; k++) pairs.forEach(([a, b], i) => requests.push(send(c, k + i, a, b)));
      const out = await fire(requests);
      const db = c.ctx.database.db;
      for (const [i, [a, b]] of pairs.entries()) {
        const mine = out.filter((_, n) => n % SAME_PAIR_PAIRS === i);
        expect(mine).toHaveLength(SAME_PAIR_SENDS);
        expect(mine.filter((r) => r.status === 201)).toHaveLength(1);
        expect(mine.filter((r) => r.status === 200)).toHaveLength(SAME_PAIR_SENDS - 1);
        const ids = new Set(
          mine.map((r) => {
            const body = r.body as SendResult;
            if (body.outcome !== 'sent') throw new Error(r.text);
            expect(body.invitation.status).toBe('pending');
            expect(body.invitation.recipient.id).toBe(b.id);
            return body.invitation.id;
          }),
        );
        expect(ids.size).toBe(1);
        const rows = await invitationsOfPair(db, a, b);
        expect(rows.map((r) => [r.id, r.status])).toEqual([[[...ids][0], 'pending']]);
        const events = await db.selectFrom('invitation_events').select('action').where('invitation_id', '=', rows[0]?.id ?? '').execute();
        expect(events.map((e) => e.action)).toEqual(['sent']);
      }
      await assertInvariants(db);
    });

    it(`per-member limits hold under concurrent writes: weekly limit ${WEEKLY_LIMIT}, connection cap ${CONNECTION_LIMIT}`, async () => {
      const db = c.ctx.database.db;
      // One sender, LIMIT_ATTEMPTS different recipients at once: exactly WEEKLY_LIMIT get through.
      const [sender, ...recipients] = await makeMembers(c.ctx, LIMIT_ATTEMPTS + 1, 'Weekly');
      const sends = await fire(recipients.map((r, i) => send(c, i, sender as Member, r)));
      expect(sends.filter((r) => r.status === 201)).toHaveLength(WEEKLY_LIMIT);
      const refused = sends.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, (r.body as ErrorBody).error.code])).toEqual(refused.map(() => [429, 'WeeklyInviteLimit']));
      const sent = await db.selectFrom('invitations').select('id').where('sender_id', '=', (sender as Member).id).execute();
      expect(sent).toHaveLength(WEEKLY_LIMIT);

      // One recipient accepts LIMIT_ATTEMPTS invitations at once: exactly CONNECTION_LIMIT connect.
      const [popular, ...senders] = await makeMembers(c.ctx, LIMIT_ATTEMPTS + 1, 'Popular');
      const ids = await invite(c, senders.map((s) => [s, popular as Member]));
      const accepts = await fire(ids.map((id, i) => act(c, i, popular as Member, id, 'accept')));
      expect(accepts.filter((r) => r.status === 200)).toHaveLength(CONNECTION_LIMIT);
      const capped = accepts.filter((r) => r.status !== 200);
      expect(capped.map((r) => [r.status, (r.body as ErrorBody).error.code])).toEqual(capped.map(() => [409, 'ConnectionLimit']));
      const rows = await db.selectFrom('connections').select('other_id').where('member_id', '=', (popular as Member).id).execute();
      expect(rows).toHaveLength(CONNECTION_LIMIT);
      const statuses = await db.selectFrom('invitations').select('status').where('recipient_id', '=', (popular as Member).id).execute();
      expect(countBy(statuses.map((r) => r.status))).toEqual({ accepted: CONNECTION_LIMIT, pending: LIMIT_ATTEMPTS - CONNECTION_LIMIT });
      await assertInvariants(db);
    });

    it('no response was a 5xx or carried a storage error, and no process logged a failure', async () => {
      expect(all.length).toBe(CROSSING_PAIRS * 2 + DOUBLE_ACCEPT_INVITATIONS * ACCEPTS_EACH + ACCEPT_VS_WITHDRAW * 2 + RESTORE_RACES * 3 + SAME_PAIR_SENDS * SAME_PAIR_PAIRS + LIMIT_ATTEMPTS * 2);
      assertClean(all);
      for (const s of c.servers) {
        expect(s.output(), `process ${s.pid} logged an error`).not.toMatch(/"level":(50|60)|SQLITE_BUSY|request failed/);
      }
      stats.push(`${dialect}/${topology}: ${all.length} concurrent requests, statuses ${JSON.stringify(countBy(all.map((r) => r.status)))}`);
    });
  });
}

describe.each(dialects)('invitation races [%s]', (dialect) => {
  scenarios('one process', dialect, oneProcess);
  scenarios('two processes', dialect, twoProcesses);
});
