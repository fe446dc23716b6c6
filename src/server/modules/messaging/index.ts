/**
 * What other modules may use of messaging/ (conversations, messages, read state and the digest
 * queue are its own tables).
 */
export { MessagingService } from './messaging.service.js';
export { MessageDigests, messagingJobs } from './messaging.jobs.js';
export { digestEmailCheck } from './messaging.emails.js';
export { conversationIdsByPair, unreadConversations } from './messaging.repository.js';
