/**
 * safety/: the public interface (docs/architecture.md). Standings, enforcements, appeals, the audit
 * log and the evaluation runs are declared and written only in this folder (spam reports join them
 * with issue #16's move out of invitations/). Invitations ask `SafetyService.gate` before a send.
 */
export { SafetyService, safetySettings, type SafetySettings } from './safety.service.js';
export { ModerationService } from './moderation.service.js';
export type { Level } from './safety.table.js';
