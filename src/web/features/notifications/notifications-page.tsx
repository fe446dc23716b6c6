/** All notifications, newest first, a page at a time; unread ones stand out until followed or all are read. */
import type { Notification } from '../../../contracts/notifications.js';
import { notifications, type NotificationsPage as Page } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { useAction } from '../../api/use-submit.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link } from '../../components/router.js';
import { EmptyState, FormAlert } from '../../components/states.js';
import { useMe } from '../auth/session.js';
import { NotificationItem } from './notification-item.js';
import { setUnreadCounts, useUnreadCounts } from './unread-counts.js';

export function NotificationsPage() {
  usePageTitle('Notifications');
  const me = useMe();
  const announce = useNotice();
  const unread = useUnreadCounts(me.id)?.unreadCount ?? 0;
  const [pages, api] = usePages<Notification, Page>('notifications', (cursor) => notifications.list(cursor));
  const { error, run } = useAction();

  const markRead = (ids?: string[]) => {
    const now = new Date().toISOString();
    api.update((items) => items.map((n) => (!ids || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)));
  };

  const readAll = () =>
    run(async () => {
      setUnreadCounts(await notifications.markRead());
      markRead();
      announce('All notifications marked as read.');
    });

  async function open(n: Notification) {
    if (n.readAt !== null) return;
    try {
      setUnreadCounts(await notifications.markRead([n.id]));
    } catch {
      // The page it links to still opens.
    }
  }

  return (
    <section className="card section" aria-labelledby="notifications-title">
      <div className="section-head">
        <div>
          <PageHeading id="notifications-title">Notifications</PageHeading>
          <p className="muted">{unread === 0 ? 'You are all caught up.' : `${unread} unread`}</p>
        </div>
        {unread > 0 && (
          <button type="button" className="button button-secondary" onClick={readAll}>
            Mark all as read
          </button>
        )}
      </div>
      <FormAlert message={error} />
      <PagedList
        pages={pages}
        api={api}
        loading="Loading your notifications…"
        errorTitle="We could not load your notifications"
        className="notifications notifications-page"
        label="Notifications, newest first"
        itemKey={(n) => n.id}
        render={(n) => <NotificationItem n={n} onOpen={(x) => void open(x)} />}
        empty={
          <EmptyState title="No notifications yet">
            <p>
              You will hear here when someone invites you, accepts your invitation or sends you a message. Meanwhile, <Link href="/people">find people you know</Link>.
            </p>
          </EmptyState>
        }
      />
    </section>
  );
}
