/** What mail/ runs on the queue: `mail.send`, one stored email each (the handler is Mailer.job). */
import type { ModuleJobs } from '../../jobs/queue.js';
import type { Mailer } from './mailer.js';

export function mailJobs(mailer: Mailer): ModuleJobs {
  return { jobs: [mailer.job] };
}
