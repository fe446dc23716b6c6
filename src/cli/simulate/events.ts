/**
 * Simulated time: a queue of future events ordered by time (ties by insertion), and the random draws
 * the model needs, all from one seeded PRNG so a seed always replays the same run.
 */
import type { Random } from '../prng.js';
import { ANSWERS, type Answer, type AnswerMix } from './model.js';

export type SimEvent =
  | { kind: 'send'; at: number; sender: number }
  | { kind: 'answer'; at: number; invitationId: string; sender: number; recipient: number; answer: Answer }
  | { kind: 'decide'; at: number; invitationId: string; uphold: boolean }
  /** The scheduled safety evaluation (the `safety.evaluate` job), every SAFETY_EVALUATION_MINUTES. */
  | { kind: 'evaluate'; at: number };

interface Entry {
  at: number;
  seq: number;
  event: SimEvent;
}

/** A binary min-heap on (at, seq). */
export class EventQueue {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(event: SimEvent): void {
    const h = this.heap;
    h.push({ at: event.at, seq: this.seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i] as Entry, h[p] as Entry)) break;
      [h[i], h[p]] = [h[p] as Entry, h[i] as Entry];
      i = p;
    }
  }

  /** The next event at or before `until`, or undefined. */
  popUntil(until: number): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top || top.at > until) return undefined;
    const last = h.pop() as Entry;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l] as Entry, h[m] as Entry)) m = l;
        if (r < h.length && less(h[r] as Entry, h[m] as Entry)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
        i = m;
      }
    }
    return top.event;
  }
}

const less = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export const uniform = (rnd: Random, min: number, max: number) => min + rnd() * (max - min);

/** Exponential with the given mean. */
export const exponential = (rnd: Random, mean: number) => -Math.log(1 - rnd()) * mean;

export function drawAnswer(rnd: Random, mix: AnswerMix): Answer {
  let roll = rnd();
  for (const a of ANSWERS) {
    roll -= mix[a];
    if (roll < 0) return a;
  }
  return 'nothing';
}

export function shuffle<T>(rnd: Random, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}
