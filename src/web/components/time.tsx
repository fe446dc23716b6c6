/** "3 days ago", as LinkedIn says it, with the exact moment in a tooltip and in the markup. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// English words, like the rest of the interface; absolute dates follow the browser's locale.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const exact = new Intl.DateTimeFormat([], { dateStyle: 'long', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat([], { dateStyle: 'medium' });

export function timeAgo(iso: string, now = Date.now()): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return relative.format(-Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return relative.format(-Math.floor(ms / HOUR), 'hour');
  if (ms < 7 * DAY) return relative.format(-Math.floor(ms / DAY), 'day');
  if (ms < 30 * DAY) return relative.format(-Math.floor(ms / (7 * DAY)), 'week');
  if (ms < 365 * DAY) return relative.format(-Math.floor(ms / (30 * DAY)), 'month');
  return relative.format(-Math.floor(ms / (365 * DAY)), 'year');
}

export const formatDay = (iso: string) => dateOnly.format(new Date(iso));

/** `<time>` reading "Sent 5 days ago"; hovering shows the date and time. */
export function Ago({ iso, prefix }: { iso: string; prefix?: string }) {
  const ago = timeAgo(iso);
  return (
    <time dateTime={iso} title={exact.format(new Date(iso))}>
      {prefix ? `${prefix} ${ago}` : ago}
    </time>
  );
}
