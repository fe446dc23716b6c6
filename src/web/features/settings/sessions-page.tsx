/** Settings → Sessions: where I am signed in (this one marked), and signing one or all others out. */
import type { SessionInfo } from '../../../contracts/account.js';
import { account } from '../../api/account.js';
import { ApiError } from '../../api/client.js';
import { useResource } from '../../api/use-resource.js';
import { useAction } from '../../api/use-submit.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { ErrorLine, ErrorState, Loading } from '../../components/states.js';
import { timeAgo } from '../../components/time.js';
import { useSession } from '../auth/session.js';
import { SettingsLayout } from './settings-layout.js';

const when = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'short' });

/** "Chrome on Windows" from a user agent: a label for people, not a fingerprint; the full string is one click away. */
function deviceLabel(userAgent: string): string {
  if (userAgent === '') return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\/|CriOS\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : undefined;
  const os = /iPhone/.test(userAgent)
    ? 'iPhone'
    : /iPad/.test(userAgent)
      ? 'iPad'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(userAgent)
            ? 'macOS'
            : /CrOS/.test(userAgent)
              ? 'ChromeOS'
              : /Linux/.test(userAgent)
                ? 'Linux'
                : undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? 'A program or script';
}

export function SessionsPage() {
  usePageTitle('Sessions');
  const announce = useNotice();
  const { signedOut } = useSession();
  const [list, { reload, set }] = useResource('sessions', () => account.sessions());
  // `busy` names what is being signed out: a session's id, or 'others'.
  const { error, running: busy, run } = useAction();

  const revoke = (s: SessionInfo) =>
    run(async () => {
      await account.revokeSession(s.id).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'SessionNotFound')) throw e; // already gone is what was wanted
      });
      if (s.current) return signedOut('logged-out');
      if (list.status === 'ready') set({ items: list.data.items.filter((i) => i.id !== s.id) });
      announce(`Signed out ${deviceLabel(s.userAgent)}.`);
    }, s.id);

  const revokeOthers = () =>
    run(async () => {
      const { revoked } = await account.revokeOtherSessions();
      if (list.status === 'ready') set({ items: list.data.items.filter((i) => i.current) });
      announce(revoked === 0 ? 'No other sessions to sign out.' : `Signed out ${revoked === 1 ? 'one other session' : `${revoked} other sessions`}.`);
    }, 'others');

  const others = list.status === 'ready' ? list.data.items.filter((i) => !i.current).length : 0;
  return (
    <SettingsLayout current="sessions">
      <section className="card section" aria-labelledby="sessions-title">
        <p className="eyebrow">Settings</p>
        <PageHeading id="sessions-title">Where you’re signed in</PageHeading>
        <p className="muted">
          Each browser you log in from has a session. If you don’t recognise one, sign it out and change your password. The place shown is the IP address the session
          signed in from.
        </p>
        <ErrorLine message={error} />
        {list.status === 'loading' && <Loading label="Loading your sessions" />}
        {list.status === 'error' && <ErrorState error={list.error} onRetry={reload} />}
        {list.status === 'ready' && (
          <>
            <ul className="tokens sessions">
              {[...list.data.items].sort((a, b) => Number(b.current) - Number(a.current)).map((s) => (
                <li key={s.id} className="token">
                  <div className="token-info">
                    <h3>
                      {deviceLabel(s.userAgent)} {s.current && <span className="badge">This session</span>}
                    </h3>
                    <p className="muted">
                      {s.ip ? `IP ${s.ip}` : 'IP not recorded'} · Signed in {when.format(new Date(s.createdAt))} ·{' '}
                      {s.current ? 'Active now' : s.lastSeenAt ? `Last seen ${timeAgo(s.lastSeenAt)}` : 'Not seen since'}
                    </p>
                    {s.userAgent && (
                      <details>
                        <summary className="muted">Browser details</summary>
                        <p className="mono small">{s.userAgent}</p>
                      </details>
                    )}
                  </div>
                  <button type="button" className="button button-danger-text" onClick={() => void revoke(s)} disabled={busy !== undefined}>
                    {busy === s.id ? 'Signing out…' : 'Sign out'}
                    <span className="visually-hidden"> {s.current ? 'this session' : deviceLabel(s.userAgent)}</span>
                  </button>
                </li>
              ))}
            </ul>
            {others > 0 && (
              <p>
                <button type="button" className="button button-secondary" onClick={() => void revokeOthers()} disabled={busy !== undefined}>
                  {busy === 'others' ? 'Signing out…' : 'Sign out all other sessions'}
                </button>
              </p>
            )}
          </>
        )}
      </section>
    </SettingsLayout>
  );
}
