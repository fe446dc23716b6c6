/**
 * account/: the public interface (docs/architecture.md). "Download my data" and "Delete my
 * account" own no table: each reads or erases a member's data through the owning module's service.
 */
export { AccountDeletionService, type DeletionParts } from './account-deletion.service.js';
export { AccountExportService, type ExportParts } from './account-export.service.js';
