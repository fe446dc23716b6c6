/** Initials on a colour picked from the member's id: recognisable without any uploaded photo. */
const COLOURS = ['#0a66c2', '#057642', '#915907', '#8f5849', '#5f4bb6', '#00707a', '#b24020', '#44546a'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

export function Avatar({ id, name, size = 'md' }: { id: string; name: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const background = COLOURS[hash % COLOURS.length];
  return (
    <span className={`avatar avatar-${size}`} style={{ background }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
