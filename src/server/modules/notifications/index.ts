/**
 * What other modules may use of notifications/: writing a notification, or marking one read, in the
 * transaction of the change that causes it (the `notifications` table is this module's).
 */
export { NotificationService } from './notification.service.js';
export { markSubjectRead, record, type NewNotification } from './notification.repository.js';
