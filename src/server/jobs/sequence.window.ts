/**
 * Placing a step's time in a send window in the subject's time zone (for example weekdays
 * 09:00–17:00 local). Calendar arithmetic is luxon's, in the zone itself, so DST days are right:
 * a window start that does not exist that day (02:30 on a spring-forward night) moves forward to the
 * first local time that does; a time already inside the window is kept exactly.
 */
import { DateTime } from 'luxon';

export interface SendWindow {
  /** ISO weekdays the window is open: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local opening and closing time, `HH:mm`; the window is [start, end). */
  start: string;
  end: string;
}

export const WEEKDAYS_9_TO_5: SendWindow = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

/** A valid IANA zone, or UTC. */
export function zoneOrUtc(zone: string | null | undefined): string {
  return zone && DateTime.now().setZone(zone).isValid ? zone : 'UTC';
}

/** The earliest moment ≥ `at` inside `window` in `zone` (`at` itself without a window). */
export function placeInWindow(at: Date, window: SendWindow | undefined, zone: string): Date {
  if (!window || window.days.length === 0) return at;
  const local = DateTime.fromJSDate(at, { zone: zoneOrUtc(zone) });
  const [sh = 0, sm = 0] = window.start.split(':').map(Number);
  const [eh = 0, em = 0] = window.end.split(':').map(Number);
  for (let i = 0; i < 8; i++) {
    const day = local.startOf('day').plus({ days: i });
    if (!window.days.includes(day.weekday)) continue;
    const open = day.set({ hour: sh, minute: sm, second: 0, millisecond: 0 });
    const close = day.set({ hour: eh, minute: em, second: 0, millisecond: 0 });
    if (local < open) return open.toJSDate();
    if (local < close) return at;
  }
  throw new Error(`send window ${JSON.stringify(window)} is never open`);
}
