/**
 * The route table. Each route says who may see it: `member` pages send anonymous visitors to log in
 * (and back afterwards), `guest` pages send members Home, `any` pages serve both, and
 * `admin` pages are members' pages that only administrators may open (the API checks it again).
 */
import { useEffect, type ReactNode } from 'react';
import { LoginPage } from '../features/auth/login-page.js';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/password-reset-pages.js';
import { useSession } from '../features/auth/session.js';
import { SignupPage } from '../features/auth/signup-page.js';
import { AuditPage } from '../features/admin/audit-page.js';
import { AdminMemberPage } from '../features/admin/member-page.js';
import { MembersPage } from '../features/admin/members-page.js';
import { QueuePage } from '../features/admin/queue-page.js';
import { HomePage } from '../features/home/home-page.js';
import { ConversationPage } from '../features/messaging/conversation-page.js';
import { MessagingPage } from '../features/messaging/messaging-page.js';
import { NotificationsPage } from '../features/notifications/notifications-page.js';
import { HealthPage } from '../features/safety/health-page.js';
import { ConnectionsPage } from '../features/network/connections-page.js';
import { InvitationsPage } from '../features/network/invitations-page.js';
import { PeoplePage } from '../features/people/people-page.js';
import { ProfileEditPage } from '../features/profiles/profile-edit-page.js';
import { MemberProfilePage, MyProfilePage } from '../features/profiles/profile-pages.js';
import { AccountPage } from '../features/settings/account-page.js';
import { ConfirmEmailPage } from '../features/settings/confirm-email-page.js';
import { DataPage } from '../features/settings/data-page.js';
import { DeleteAccountPage } from '../features/settings/delete-account-page.js';
import { EmailPreferencesPage } from '../features/settings/email-preferences-page.js';
import { SessionsPage } from '../features/settings/sessions-page.js';
import { TokensPage } from '../features/settings/tokens-page.js';
import { Loading } from '../components/states.js';
import { PageHeading, usePageTitle } from '../components/page.js';
import { Link, matchPath, navigate, useLocation } from './router.js';

type Access = 'member' | 'guest' | 'any' | 'admin';

interface Route {
  path: string;
  access: Access;
  render: (params: Record<string, string>) => ReactNode;
}

const routes: Route[] = [
  { path: '/', access: 'member', render: () => <HomePage /> },
  { path: '/login', access: 'guest', render: () => <LoginPage /> },
  { path: '/signup', access: 'guest', render: () => <SignupPage /> },
  { path: '/forgot-password', access: 'any', render: () => <ForgotPasswordPage /> },
  { path: '/reset-password', access: 'any', render: () => <ResetPasswordPage /> },
  { path: '/confirm-email', access: 'any', render: () => <ConfirmEmailPage /> },
  { path: '/profile', access: 'member', render: () => <MyProfilePage /> },
  { path: '/profile/edit', access: 'member', render: () => <ProfileEditPage /> },
  { path: '/in/:id', access: 'member', render: (p) => <MemberProfilePage key={p.id} id={p.id ?? ''} /> },
  { path: '/people', access: 'member', render: () => <PeoplePage /> },
  { path: '/mynetwork', access: 'member', render: () => <Redirect to="/mynetwork/invitations" /> },
  // One page for the three folders, so switching tabs keeps the counts and the focus on the tab.
  { path: '/mynetwork/invitations', access: 'member', render: () => <InvitationsPage tab="received" /> },
  { path: '/mynetwork/invitations/sent', access: 'member', render: () => <InvitationsPage tab="sent" /> },
  { path: '/mynetwork/invitations/archived', access: 'member', render: () => <InvitationsPage tab="archived" /> },
  { path: '/mynetwork/connections', access: 'member', render: () => <ConnectionsPage /> },
  { path: '/mynetwork/health', access: 'member', render: () => <HealthPage /> },
  { path: '/messaging', access: 'member', render: () => <MessagingPage /> },
  {
    path: '/messaging/:conversationId',
    access: 'member',
    render: (p) => <ConversationPage key={p.conversationId} id={p.conversationId ?? ''} />,
  },
  { path: '/notifications', access: 'member', render: () => <NotificationsPage /> },
  { path: '/admin', access: 'admin', render: () => <Redirect to="/admin/queue" /> },
  { path: '/admin/queue', access: 'admin', render: () => <QueuePage /> },
  { path: '/admin/members', access: 'admin', render: () => <MembersPage /> },
  { path: '/admin/members/:id', access: 'admin', render: (p) => <AdminMemberPage key={p.id} id={p.id ?? ''} /> },
  { path: '/admin/audit', access: 'admin', render: () => <AuditPage /> },
  { path: '/settings', access: 'member', render: () => <Redirect to="/settings/account" /> },
  { path: '/settings/account', access: 'member', render: () => <AccountPage /> },
  { path: '/settings/sessions', access: 'member', render: () => <SessionsPage /> },
  { path: '/settings/data', access: 'member', render: () => <DataPage /> },
  { path: '/settings/delete', access: 'member', render: () => <DeleteAccountPage /> },
  { path: '/settings/tokens', access: 'member', render: () => <TokensPage /> },
  { path: '/settings/email', access: 'member', render: () => <EmailPreferencesPage /> },
  // Links from emails: an invitation opens in the inbox, where accepting or ignoring takes a click.
  { path: '/invitations/:id', access: 'member', render: () => <Redirect to="/mynetwork/invitations" /> },
];

export function AppRoutes() {
  const location = useLocation();
  const { session } = useSession();
  const found = routes.map((r) => ({ route: r, params: matchPath(r.path, location.pathname) })).find((m) => m.params !== null);
  if (!found?.params) return <NotFound />;
  const { route, params } = found;
  if (session.status === 'loading' || session.status === 'error') return <Loading label="Loading…" />;
  if ((route.access === 'member' || route.access === 'admin') && session.status !== 'member') {
    const next = location.href === '/' ? '' : `?next=${encodeURIComponent(location.href)}`;
    return <Redirect to={`/login${next}`} />;
  }
  if (route.access === 'guest' && session.status === 'member') return <Redirect to="/" />;
  if (route.access === 'admin' && session.status === 'member' && session.me.role !== 'admin') return <AdminsOnly />;
  return <>{route.render(params)}</>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  usePageTitle('Page not found');
  return (
    <div className="card state">
      <PageHeading>We can’t find that page</PageHeading>
      <p>The link may be broken, or the page may have moved.</p>
      <p>
        <Link href="/">Go to Home</Link> or <Link href="/people">search for people</Link>.
      </p>
    </div>
  );
}

function AdminsOnly() {
  usePageTitle('For administrators');
  return (
    <div className="card state">
      <PageHeading>This page is for administrators</PageHeading>
      <p>The admin console is only open to the people who run this Rapport.</p>
      <p>
        <Link href="/">Go to Home</Link>
      </p>
    </div>
  );
}
