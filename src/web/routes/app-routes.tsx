/**
 * The route table. Each route says who may see it: `member` pages send anonymous visitors to log in
 * (and back afterwards), `guest` pages send members Home, `any` pages serve both, and
 * `admin` pages are members' pages that only administrators may open (the API checks it again).
 */
import { isValidElement, lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { PageHeading, usePageTitle } from '../components/page.js';
import { Link, matchPath, navigate, useLocation } from '../components/router.js';
import { useSession } from '../features/auth/session.js';

/** Each page is its own chunk, fetched when first opened: a visitor downloads only the pages they see. */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return Object.assign(
    lazy(async () => ({ default: await load() })),
    { preload: load },
  );
}

/** Starts fetching the page's code while the session is still being asked for, not after. */
function preload(element: ReactNode): void {
  // A lazy component is an object at run time, though React's types call it a function.
  const type: unknown = isValidElement(element) ? element.type : undefined;
  if (typeof type === 'object' && type !== null && 'preload' in type && typeof type.preload === 'function') void type.preload();
}

const LoginPage = lazyPage(() => import('../features/auth/login-page.js').then((m) => m.LoginPage));
const ForgotPasswordPage = lazyPage(() => import('../features/auth/password-reset-pages.js').then((m) => m.ForgotPasswordPage));
const ResetPasswordPage = lazyPage(() => import('../features/auth/password-reset-pages.js').then((m) => m.ResetPasswordPage));
const SignupPage = lazyPage(() => import('../features/auth/signup-page.js').then((m) => m.SignupPage));
const AuditPage = lazyPage(() => import('../features/admin/audit-page.js').then((m) => m.AuditPage));
const AdminMemberPage = lazyPage(() => import('../features/admin/member-page.js').then((m) => m.AdminMemberPage));
const MembersPage = lazyPage(() => import('../features/admin/members-page.js').then((m) => m.MembersPage));
const QueuePage = lazyPage(() => import('../features/admin/queue-page.js').then((m) => m.QueuePage));
const ConversationPage = lazyPage(() => import('../features/messaging/conversation-page.js').then((m) => m.ConversationPage));
const MessagingPage = lazyPage(() => import('../features/messaging/messaging-page.js').then((m) => m.MessagingPage));
const NotificationsPage = lazyPage(() => import('../features/notifications/notifications-page.js').then((m) => m.NotificationsPage));
const HealthPage = lazyPage(() => import('../features/safety/health-page.js').then((m) => m.HealthPage));
const ConnectionsPage = lazyPage(() => import('../features/network/connections-page.js').then((m) => m.ConnectionsPage));
const InvitationsPage = lazyPage(() => import('../features/network/invitations-page.js').then((m) => m.InvitationsPage));
const PeoplePage = lazyPage(() => import('../features/people/people-page.js').then((m) => m.PeoplePage));
const ProfileEditPage = lazyPage(() => import('../features/profiles/profile-edit-page.js').then((m) => m.ProfileEditPage));
const MemberProfilePage = lazyPage(() => import('../features/profiles/profile-pages.js').then((m) => m.MemberProfilePage));
const MyProfilePage = lazyPage(() => import('../features/profiles/profile-pages.js').then((m) => m.MyProfilePage));
const EmailPreferencesPage = lazyPage(() => import('../features/settings/email-preferences-page.js').then((m) => m.EmailPreferencesPage));
const TokensPage = lazyPage(() => import('../features/settings/tokens-page.js').then((m) => m.TokensPage));
const HomePage = lazyPage(() => import('../features/home/home-page.js').then((m) => m.HomePage));
const AccountPage = lazyPage(() => import('../features/settings/account-page.js').then((m) => m.AccountPage));
const ConfirmEmailPage = lazyPage(() => import('../features/settings/confirm-email-page.js').then((m) => m.ConfirmEmailPage));
const DataPage = lazyPage(() => import('../features/settings/data-page.js').then((m) => m.DataPage));
const DeleteAccountPage = lazyPage(() => import('../features/settings/delete-account-page.js').then((m) => m.DeleteAccountPage));
const SessionsPage = lazyPage(() => import('../features/settings/sessions-page.js').then((m) => m.SessionsPage));

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
  // Asking who is signed in takes one quick request: hold the page's place rather than flash a spinner.
  if (session.status === 'loading' || session.status === 'error') {
    preload(route.render(params));
    return <div className="page-loading" aria-busy="true" />;
  }
  if ((route.access === 'member' || route.access === 'admin') && session.status !== 'member') {
    const next = location.href === '/' ? '' : `?next=${encodeURIComponent(location.href)}`;
    return <Redirect to={`/login${next}`} />;
  }
  if (route.access === 'guest' && session.status === 'member') return <Redirect to="/" />;
  if (route.access === 'admin' && session.status === 'member' && session.me.role !== 'admin') return <AdminsOnly />;
  // The fallback holds the page's place (no spinner flash for a chunk that arrives in milliseconds).
  return <Suspense fallback={<div className="page-loading" aria-busy="true" />}>{route.render(params)}</Suspense>;
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
