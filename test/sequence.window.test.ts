/**
 * Send windows in the subject's time zone (jobs/sequence.window.ts): a time inside the window is
 * kept exactly, a time outside moves to the next opening, weekends roll over, and DST days are
 * local-time correct (an opening that does not exist that night moves to the first that does).
 */
import { describe, expect, it } from 'vitest';
import { placeInWindow, WEEKDAYS_9_TO_5, zoneOrUtc } from '../src/server/jobs/sequence.window.js';

const place = (at: string, zone: string) => placeInWindow(new Date(at), WEEKDAYS_9_TO_5, zone).toISOString();

describe('placeInWindow', () => {
  it('keeps a time inside the window exactly', () => {
    // Wednesday 2026-03-04 10:15:30.250 in New York (UTC-5).
    expect(place('2026-03-04T15:15:30.250Z', 'America/New_York')).toBe('2026-03-04T15:15:30.250Z');
  });

  it('moves a time before the opening to 09:00 local the same day, and one after closing to 09:00 the next weekday', () => {
    expect(place('2026-03-04T12:00:00.000Z', 'America/New_York')).toBe('2026-03-04T14:00:00.000Z');
    expect(place('2026-03-04T22:00:00.000Z', 'America/New_York')).toBe('2026-03-05T14:00:00.000Z');
    // 17:00 itself is closed: the window is [09:00, 17:00).
    expect(place('2026-03-04T21:59:59.999Z', 'America/New_York')).toBe('2026-03-04T21:59:59.999Z');
    expect(place('2026-03-04T16:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-05T08:00:00.000Z');
  });

  it('rolls a Friday evening and a weekend over to Monday 09:00 local', () => {
    // Friday 2026-03-06 18:00 in Berlin (UTC+1) → Monday 2026-03-09 09:00.
    expect(place('2026-03-06T17:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-09T08:00:00.000Z');
    // Saturday noon and Sunday 23:59 in Tokyo (UTC+9) → Monday 09:00 Tokyo.
    expect(place('2026-03-07T03:00:00.000Z', 'Asia/Tokyo')).toBe('2026-03-09T00:00:00.000Z');
    expect(place('2026-03-08T14:59:00.000Z', 'Asia/Tokyo')).toBe('2026-03-09T00:00:00.000Z');
  });

  it('uses the local date, not the UTC date: Monday 08:00 in Auckland is still Sunday in UTC', () => {
    // 2026-03-08T19:00Z is Monday 2026-03-09 08:00 in Auckland (UTC+13, daylight time).
    expect(place('2026-03-08T19:00:00.000Z', 'Pacific/Auckland')).toBe('2026-03-08T20:00:00.000Z');
  });

  it('places openings right across the DST changes (New York spring forward, Berlin fall back)', () => {
    // Friday 2026-03-06 after closing in New York (EST, UTC-5) → Monday 2026-03-09 09:00 EDT (UTC-4):
    // the clocks moved on Sunday 8 March, so the opening is 13:00Z, not 14:00Z.
    expect(place('2026-03-06T23:00:00.000Z', 'America/New_York')).toBe('2026-03-09T13:00:00.000Z');
    // Friday 2026-10-23 after closing in Berlin (CEST, UTC+2) → Monday 2026-10-26 09:00 CET (UTC+1).
    expect(place('2026-10-23T16:00:00.000Z', 'Europe/Berlin')).toBe('2026-10-26T08:00:00.000Z');
    // Inside the window on the Monday after: kept as is.
    expect(place('2026-03-09T13:30:00.000Z', 'America/New_York')).toBe('2026-03-09T13:30:00.000Z');
  });

  it('moves an opening that does not exist on a spring-forward night to the first local time that does', () => {
    const night = { days: [1, 2, 3, 4, 5, 6, 7], start: '02:30', end: '04:00' };
    // Sunday 2026-03-29, Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
    const at = placeInWindow(new Date('2026-03-28T23:00:00.000Z'), night, 'Europe/Berlin');
    expect(at.toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    // On a fall-back night (2026-10-25, 02:30 happens twice) the first 02:30 (CEST) is the opening.
    expect(placeInWindow(new Date('2026-10-24T22:00:00.000Z'), night, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('keeps a time as it is without a window, and reads an unknown zone as UTC', () => {
    expect(placeInWindow(new Date('2026-03-07T03:00:00.000Z'), undefined, 'Asia/Tokyo').toISOString()).toBe('2026-03-07T03:00:00.000Z');
    expect(zoneOrUtc('Mars/Olympus_Mons')).toBe('UTC');
    expect(place('2026-03-07T12:00:00.000Z', 'Mars/Olympus_Mons')).toBe('2026-03-09T09:00:00.000Z');
  });
});
