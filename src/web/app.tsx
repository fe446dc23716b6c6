/** The shell: skip link, top bar with the pages that exist, the page, and a footer (with the local mail viewer outside production). */
import type { ReactNode } from 'react';
import { ApiError } from './api/client.js';
import { auth } from './api/endpoints.js';
import { useSite } from './api/site.js';
import { useAction } from './api/use-submit.js';
import { Avatar } from './components/avatar.js';
import { NoticeProvider, NoticeRegion } from './components/notice.js';
import { Link, navigate, useLocation } from './components/router.js';
import { ErrorState } from './components/states.js';
import { SessionProvider, useSession } from './features/auth/session.js';
import { NotificationBell } from './features/notifications/notification-bell.js';
import { useUnreadCounts } from './features/notifications/unread-counts.js';
import { useInboxCount } from './features/relationships/inbox-count.js';
import { AppRoutes } from './routes/app-routes.js';

export function App() {
  return (
    <SessionProvider>
      <NoticeProvider>
        <Shell />
      </NoticeProvider>
    </SessionProvider>
  );
}

/** The pages of someone logged out, in a narrow column. */
const GUEST_PATHS = ['/login', '/signup', '/forgot-password', '/reset-password'];

function Shell() {
  const { session, retry } = useSession();
  const { pathname } = useLocation();
  // While the session loads, the path decides: a member's page must not change width once it is known (a layout shift).
  const narrow = session.status === 'member' ? false : session.status === 'loading' ? GUEST_PATHS.includes(pathname) : true;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <TopBar />
      <main id="main" tabIndex={-1} className={narrow ? 'main main-narrow' : 'main'}>
        <NoticeRegion />
        {session.status === 'error' ? (
          <ErrorState page title="Rapport is not answering" error={session.error} onRetry={retry} />
        ) : (
          <AppRoutes />
        )}
      </main>
      <Footer />
    </>
  );
}

/** The footer; outside production, with the local mail viewer when this server keeps emails for it. */
function Footer() {
  const mailViewer = useSite()?.mailViewer === true;
  return (
    <footer className="footer">
      <p>
        Rapport · open-source professional network · <a href="/api/docs">API documentation</a>
        {mailViewer && (
          <>
            {' · '}
            <a href="/dev/mail">Local mail (dev)</a>
          </>
        )}
      </p>
    </footer>
  );
}

const icons = {
  home: 'M12 3 2 11h3v9h6v-6h2v6h6v-9h3L12 3Z',
  network:
    'M9.5 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2C5.4 14 2 16.1 2 19v1h15v-1c0-2.9-3.4-5-7.5-5ZM19 7V4.5h-2V7h-2.5v2H17v2.5h2V9h2.5V7H19Z',
  people: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm7.5 0a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM9 13c-4 0-7 2-7 4.5V20h14v-2.5C16 15 13 13 9 13Zm7.5 0c-.5 0-1 0-1.4.1 1.5 1.1 2.4 2.6 2.4 4.4V20H22v-2.5c0-2.5-2.5-4.5-5.5-4.5Z',
  settings:
    'M19.4 13a7.7 7.7 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3h-4l-.4 2.7a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.7 7.7 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1c.5.4 1.1.7 1.7 1L11 21h4l.4-2.7c.6-.3 1.2-.6 1.7-1l2.5 1 2-3.5-2.2-1.8ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z',
  messaging:
    'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8.4L4 21.5V18a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm0 2v11h2v1.4L7.7 16H20V5H4Zm3 3h10v2H7V8Zm0 4h7v2H7v-2Z',
  bell: 'M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.8V3.5a1.5 1.5 0 0 0-3 0v.7A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Zm-2 1H7v-6a5 5 0 0 1 10 0v6Z',
  admin: 'M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm0 2.2 6 2.2V11c0 4-2.6 7.8-6 8.9-3.4-1.1-6-4.9-6-8.9V6.4l6-2.2Zm-1 11.2 5.2-5.2-1.4-1.4-3.8 3.8-1.8-1.8-1.4 1.4 3.2 3.2Z',
  logout: 'M10 3H4a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h6v-2H5V5h5V3Zm6.6 4.6-1.4 1.4 2 2H9v2h8.2l-2 2 1.4 1.4L21 12l-4.4-4.4Z',
} as const;

function Icon({ name }: { name: keyof typeof icons }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={icons[name]} />
    </svg>
  );
}

interface Badge {
  count: number;
  label: string;
}

function BadgeDot({ badge }: { badge: Badge | undefined }) {
  if (!badge) return null;
  return (
    <span className="nav-badge" aria-hidden="true">
      {badge.count > 99 ? '99+' : badge.count}
    </span>
  );
}

function NavLink({ href, icon, badge, children }: { href: string; icon: ReactNode; badge?: Badge | undefined; children: string }) {
  const { pathname } = useLocation();
  const current = pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
  return (
    <li>
      <Link href={href} className="nav-item" aria-current={current ? 'page' : undefined}>
        <span className="nav-icon-wrap">
          {icon}
          <BadgeDot badge={badge} />
        </span>
        <span className="nav-label">
          {children}
          {/* After the visible label, so the link reads "My Network, 3 invitations waiting". */}
          {badge && <span className="visually-hidden">, {badge.label}</span>}
        </span>
      </Link>
    </li>
  );
}

/** A count on an icon, e.g. "3 invitations waiting"; nothing when there are none. */
function badgeOf(count: number | undefined, one: string, many: string): Badge | undefined {
  if (!count) return undefined;
  return { count, label: `${count} ${count === 1 ? one : many}` };
}

function TopBar() {
  const { session, signedOut } = useSession();
  const { pathname } = useLocation();
  const { error, run } = useAction();
  const member = session.status === 'member' ? session.me : undefined;
  const inboxCount = useInboxCount(member?.id);
  const unread = useUnreadCounts(member?.id);

  const logout = () =>
    run(async () => {
      await auth.logout().catch((e: unknown) => {
        // A session that has already ended is logged out all the same.
        if (!(e instanceof ApiError && e.code === 'Unauthenticated')) throw e;
      });
      signedOut('logged-out');
      navigate('/login');
    });

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href={member ? '/' : '/login'} className="brand">
          <span className="brand-mark" aria-hidden="true">
            R
          </span>
          <span className="brand-name">Rapport</span>
        </Link>
        {member ? (
          <nav aria-label="Main" className="nav">
            <ul>
              <NavLink href="/" icon={<Icon name="home" />}>
                Home
              </NavLink>
              <NavLink href="/profile" icon={<Avatar id={member.id} name={member.fullName} size="xs" />}>
                Profile
              </NavLink>
              <NavLink href="/mynetwork" icon={<Icon name="network" />} badge={badgeOf(inboxCount, 'invitation waiting', 'invitations waiting')}>
                My Network
              </NavLink>
              <NavLink href="/people" icon={<Icon name="people" />}>
                People
              </NavLink>
              <NavLink href="/messaging" icon={<Icon name="messaging" />} badge={badgeOf(unread?.unreadConversations, 'unread conversation', 'unread conversations')}>
                Messaging
              </NavLink>
              <NotificationBell
                unread={unread?.unreadCount ?? 0}
                icon={<Icon name="bell" />}
                badge={<BadgeDot badge={badgeOf(unread?.unreadCount, 'unread', 'unread')} />}
              />
              <NavLink href="/settings" icon={<Icon name="settings" />}>
                Settings
              </NavLink>
              {member.role === 'admin' && (
                <NavLink href="/admin" icon={<Icon name="admin" />}>
                  Admin
                </NavLink>
              )}
              <li>
                <button type="button" className="nav-item" onClick={logout}>
                  <Icon name="logout" />
                  <span className="nav-label">Log out</span>
                </button>
              </li>
            </ul>
          </nav>
        ) : session.status === 'loading' ? (
          // Hold the room of a member's navigation (its own row on a phone) until the session is known.
          !GUEST_PATHS.includes(pathname) && (
            <div className="nav" aria-hidden="true">
              <ul>
                <li>
                  <span className="nav-item" />
                </li>
              </ul>
            </div>
          )
        ) : (
          <nav aria-label="Main" className="nav nav-guest">
            <ul>
              <li>
                <Link href="/login" className="nav-text">
                  Log in
                </Link>
              </li>
              <li>
                <Link href="/signup" className="button button-outline">
                  Join now
                </Link>
              </li>
            </ul>
          </nav>
        )}
      </div>
      {error && (
        <p className="topbar-error" role="alert">
          {error}
        </p>
      )}
    </header>
  );
}
