/** Time comes from here, never from `new Date()` in a module, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}

export const DAY_MS = 86_400_000;

/**
 * The system clock, which the demo seed may set into the past while it replays a few weeks of
 * history through the services before the server listens, then resume. After `resume` it is the
 * system clock.
 */
export class TravelClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
  resume(): void {
    this.offsetMs = 0;
  }
}
