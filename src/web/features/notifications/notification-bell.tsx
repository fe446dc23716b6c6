/**
 * The bell in the top bar: the unread count on it, and a dropdown of the latest notifications (a
 * disclosure: the button says whether it is open; Escape or leaving the panel closes it, and Escape
 * puts focus back on the bell). Following a notification marks it read; "Mark all as read" reads all.
 */
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Notification } from '../../../contracts/notifications.js';
import { notifications } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { useResource } from '../../api/use-resource.js';
import { useAction } from '../../api/use-submit.js';
import { useOutsidePointer } from '../../components/outside-pointer.js';
import { Link } from '../../components/router.js';
import { ErrorLine } from '../../components/states.js';
import { NotificationItem } from './notification-item.js';
import { setUnreadCounts } from './unread-counts.js';

const RECENT = 6;

export function NotificationBell({ unread, icon, badge }: { unread: number; icon: ReactNode; badge: ReactNode }) {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useOutsidePointer(wrapper, open, () => setOpen(false));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };

  return (
    <li
      ref={wrapper}
      className="bell"
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (open && !(event.relatedTarget instanceof Node && wrapper.current?.contains(event.relatedTarget))) setOpen(false);
      }}
    >
      <button ref={button} type="button" className="nav-item" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        <span className="nav-icon-wrap">
          {icon}
          {badge}
        </span>
        <span className="nav-label">
          Notifications
          {unread > 0 && <span className="visually-hidden">, {unread} unread</span>}
        </span>
      </button>
      <div id={id} className="card bell-panel" hidden={!open}>
        {open && <Recent unread={unread} close={() => setOpen(false)} />}
      </div>
    </li>
  );
}

function Recent({ unread, close }: { unread: number; close: () => void }) {
  const [list, { reload, set }] = useResource('notifications:recent', () => notifications.list(undefined, RECENT));
  const { error, run } = useAction();

  async function open(n: Notification) {
    close();
    if (n.readAt !== null) return;
    try {
      setUnreadCounts(await notifications.markRead([n.id]));
    } catch {
      // The page it links to still opens; the badge catches up on the next refresh.
    }
  }

  const readAll = () =>
    run(async () => {
      setUnreadCounts(await notifications.markRead());
      if (list.status === 'ready') {
        const now = new Date().toISOString();
        set({ ...list.data, unreadCount: 0, items: list.data.items.map((n) => ({ ...n, readAt: n.readAt ?? now })) });
      }
    });

  return (
    <>
      <div className="bell-head">
        <h2>Notifications</h2>
        {unread > 0 && (
          <button type="button" className="button button-quiet button-small" onClick={readAll}>
            Mark all as read
          </button>
        )}
      </div>
      <ErrorLine message={error} className="bell-note" />
      {list.status === 'loading' && (
        <p className="bell-note" role="status">
          Loading your notifications…
        </p>
      )}
      {list.status === 'error' && (
        <div className="bell-note" role="alert">
          <p>{friendlyMessage(list.error)}</p>
          <button type="button" className="button button-secondary button-small" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {list.status === 'ready' &&
        (list.data.items.length === 0 ? (
          <p className="bell-note">Nothing new. When someone invites you, accepts your invitation or writes to you, you will see it here.</p>
        ) : (
          <ul className="notifications" aria-label="Latest notifications">
            {list.data.items.map((n) => (
              <NotificationItem key={n.id} n={n} onOpen={(x) => void open(x)} />
            ))}
          </ul>
        ))}
      <Link href="/notifications" className="bell-all" onClick={close}>
        See all notifications
      </Link>
    </>
  );
}
