/** One notification in words, as the bell's dropdown and the full list both show it. */
import type { Notification } from '../../../contracts/notifications.js';
import { Avatar } from '../../components/avatar.js';
import { Link } from '../../components/router.js';
import { Ago } from '../../components/time.js';

function describe(n: Notification): string {
  switch (n.kind) {
    case 'invitation_received':
      return 'invited you to connect';
    case 'invitation_accepted':
      return 'accepted your invitation. You are now connected.';
    case 'message_received':
      return n.messageCount === 1 ? 'sent you a message' : `sent you ${n.messageCount} messages`;
  }
}

/** A row that links to what the notification is about; following it marks it read (`onOpen`). */
export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const unread = n.readAt === null;
  return (
    <li className={unread ? 'notification notification-unread' : 'notification'}>
      <Avatar id={n.actor.id} name={n.actor.fullName} size="sm" />
      <Link href={n.link} className="notification-link" onClick={() => onOpen(n)}>
        <span className="notification-text">
          <strong>{n.actor.fullName}</strong> {describe(n)}
          {unread && <span className="visually-hidden"> (unread)</span>}
        </span>
        <span className="notification-time">
          <Ago iso={n.updatedAt} />
        </span>
      </Link>
      {unread && <span className="unread-dot" aria-hidden="true" />}
    </li>
  );
}
