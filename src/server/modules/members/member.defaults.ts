/**
 * The one definition of a new member row: the account fields given, every profile field empty.
 * Signup writes it, the account deletion's tombstone goes back to it (member.repository.ts
 * `erase`), and the tests build their members from it, so a new profile column gets its default
 * here once.
 */
import type { Selectable } from 'kysely';
import { newId } from '../../ids.js';
import type { MemberTable, Role } from './member.table.js';

/** The profile of a member who has filled in nothing. These columns exist since migration 0001. */
export const EMPTY_PROFILE = Object.freeze({
  headline: '',
  current_title: '',
  current_company: '',
  industry: '',
  location: '',
  time_zone: 'UTC',
  about: '',
  skills: '[]',
} satisfies Partial<MemberTable>);

export interface NewMember {
  id?: string;
  email: string;
  passwordHash: string;
  role?: Role;
  fullName: string;
  /** ISO-8601 UTC: created and last updated. */
  now: string;
}

export function newMemberRow(m: NewMember): Selectable<MemberTable> {
  return {
    id: m.id ?? newId(),
    email: m.email,
    password_hash: m.passwordHash,
    role: m.role ?? 'member',
    full_name: m.fullName,
    search_name: searchName(m.fullName),
    ...EMPTY_PROFILE,
    created_at: m.now,
    updated_at: m.now,
    deleted_at: null,
  };
}

/** The form of a name that member search matches against. */
export const searchName = (fullName: string): string => fullName.toLowerCase();
