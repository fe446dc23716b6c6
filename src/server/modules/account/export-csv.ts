/**
 * The data export as CSV: one file per section in one zip, as LinkedIn's own export is (the
 * sections have different columns, so one CSV cannot hold them, and one download is what a member
 * expects). Quoting is csv-stringify's (RFC 4180); a UTF-8 byte order mark lets spreadsheet
 * programs read names in any script, and cells that start with = + - @ are escaped so a
 * spreadsheet never runs another member's text as a formula.
 */
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync } from 'fflate';
import type { DataExport } from '../../../contracts/account.js';

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

function csv(rows: Row[], columns: string[]): string {
  return stringify(rows, { header: true, columns, bom: true, escape_formulas: true, cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

/** Each CSV file of the zip, by name, with its columns in order. */
function exportTables(data: DataExport): Record<string, { columns: string[]; rows: Row[] }> {
  const { profile, account } = data;
  return {
    'Profile.csv': {
      columns: ['id', 'email', 'role', 'createdAt', 'fullName', 'headline', 'currentTitle', 'currentCompany', 'industry', 'location', 'timeZone', 'about', 'skills', 'exportedAt'],
      rows: [{ ...account, ...profile, skills: profile.skills.join('; '), exportedAt: data.exportedAt }],
    },
    'Experience.csv': { columns: ['title', 'company', 'startYear', 'endYear'], rows: data.experience },
    'Education.csv': { columns: ['school', 'degree', 'field', 'startYear', 'endYear'], rows: data.education },
    'Connections.csv': { columns: ['memberId', 'fullName', 'headline', 'currentTitle', 'currentCompany', 'connectedAt'], rows: data.connections },
    'Invitations_Sent.csv': { columns: ['id', 'recipientId', 'recipientName', 'note', 'status', 'createdAt', 'closedAt'], rows: data.invitationsSent },
    'Invitations_Received.csv': {
      columns: ['id', 'senderId', 'senderName', 'note', 'status', 'folder', 'idk', 'spamReported', 'createdAt', 'ignoredAt', 'closedAt'],
      rows: data.invitationsReceived,
    },
    'Messages.csv': { columns: ['conversationId', 'withMemberId', 'from', 'body', 'sentAt'], rows: data.messages },
    'Notifications.csv': { columns: ['id', 'kind', 'actorName', 'createdAt', 'updatedAt', 'readAt'], rows: data.notifications },
    'Email_Preferences.csv': {
      columns: ['category', 'enabled'],
      rows: Object.entries(data.emailPreferences).map(([category, enabled]) => ({ category, enabled })),
    },
    'API_Tokens.csv': { columns: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'], rows: data.apiTokens },
    'Sessions.csv': { columns: ['id', 'current', 'userAgent', 'ip', 'createdAt', 'lastSeenAt', 'expiresAt'], rows: data.sessions },
  };
}

/** The zip's bytes. */
export function exportZip(data: DataExport): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, table] of Object.entries(exportTables(data))) files[name] = strToU8(csv(table.rows, table.columns));
  // A fixed time for the entries: the same data gives the same bytes.
  return zipSync(files, { level: 6, mtime: new Date(data.exportedAt) });
}
