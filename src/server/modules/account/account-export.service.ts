/**
 * "Download my data": every section of DataExport (src/contracts/account.ts), read from the
 * module that owns it, as this member may see it. Sender privacy holds here as everywhere: sent
 * invitations come from the sender's view (invitation.views.ts), so an ignored or IDK invitation
 * reads `pending`, and nothing about the other side's answer is in the file.
 */
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/database.js';
import type { DataExport } from '../../../contracts/account.js';
// The one read left past another module's index.ts: connections/ has no export read yet (docs/architecture.md).
import * as connections from '../connections/index.js';
import * as members from '../members/index.js';
import { AppError } from '../../errors.js';
import type { ExportParts } from './account.parts.js';

export type { ExportParts } from './account.parts.js';

export class AccountExportService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly parts: ExportParts,
  ) {}

  async export(memberId: string, currentSessionId: string | undefined): Promise<DataExport> {
    const p = this.parts;
    const db = this.database.db;
    const member = await members.findById(db, memberId);
    if (!member) throw new AppError('Unauthenticated', 'This account no longer exists.');
    const profile = await p.members.profile(memberId);
    const invitations = await p.invitations.exportFor(memberId);
    return {
      exportedAt: this.clock.now().toISOString(),
      account: { id: member.id, email: member.email, role: member.role, createdAt: member.created_at },
      profile: {
        fullName: profile.fullName,
        headline: profile.headline,
        currentTitle: profile.currentTitle,
        currentCompany: profile.currentCompany,
        industry: profile.industry,
        location: profile.location,
        timeZone: profile.timeZone,
        about: profile.about,
        skills: [...profile.skills],
      },
      experience: profile.positions.map((x) => ({ title: x.title, company: x.company, startYear: x.startYear, endYear: x.endYear })),
      education: profile.educations.map((x) => ({ school: x.school, degree: x.degree, field: x.field, startYear: x.startYear, endYear: x.endYear })),
      connections: (await connections.allOf(db, memberId)).map((c) => ({
        memberId: c.id,
        fullName: c.full_name,
        headline: c.headline,
        currentTitle: c.current_title,
        currentCompany: c.current_company,
        connectedAt: c.created_at,
      })),
      invitationsSent: invitations.sent.map((i) => ({
        id: i.id,
        recipientId: i.recipient.id,
        recipientName: i.recipient.fullName,
        note: i.note,
        status: i.status,
        createdAt: i.createdAt,
        closedAt: i.closedAt,
      })),
      invitationsReceived: invitations.received.map((i) => ({
        id: i.id,
        senderId: i.sender.id,
        senderName: i.sender.fullName,
        note: i.note,
        status: i.status,
        folder: i.folder,
        idk: i.idk,
        spamReported: i.spamReported,
        createdAt: i.createdAt,
        ignoredAt: i.ignoredAt,
        closedAt: i.closedAt,
      })),
      messages: await p.messaging.exportFor(memberId),
      notifications: await this.notifications(memberId),
      emailPreferences: await p.preferences.get(memberId),
      apiTokens: await p.account.exportTokens(memberId),
      sessions: (await p.account.listSessions(memberId, currentSessionId)).map((s) => ({ ...s })),
    };
  }

  private async notifications(memberId: string): Promise<DataExport['notifications']> {
    const out: DataExport['notifications'] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.parts.notifications.list(memberId, false, cursor, 100);
      for (const n of page.items) out.push({ id: n.id, kind: n.kind, actorName: n.actor.fullName, createdAt: n.createdAt, updatedAt: n.updatedAt, readAt: n.readAt });
      if (page.nextCursor === null) return out;
      cursor = page.nextCursor;
    }
  }
}
