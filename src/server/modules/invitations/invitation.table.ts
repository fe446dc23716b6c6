/** Stored status. `ignored` is the recipient's Archived folder; the sender is shown `pending` for it. */
export type InvitationStatus = 'pending' | 'ignored' | 'accepted' | 'withdrawn' | 'expired';

export interface InvitationTable {
  id: string;
  sender_id: string;
  recipient_id: string;
  /** The two member ids sorted and joined: one open invitation per pair is a unique index on it. */
  pair_key: string;
  note: string | null;
  status: InvitationStatus;
  idk: 0 | 1;
  spam: 0 | 1;
  created_at: string;
  expires_at: string;
  ignored_at: string | null;
  closed_at: string | null; // when it became accepted, withdrawn or expired
  /** 1 when the recipient was beyond the sender's network at send time (docs/safety.md); sender-side only. */
  beyond_network?: 0 | 1; // stored 0 by default
}

export type InvitationAction = 'sent' | 'accepted' | 'ignored' | 'restored' | 'idk' | 'spam_reported' | 'withdrawn' | 'expired' | 'replied' | 'connection_removed';

export interface InvitationEventTable {
  id: string;
  invitation_id: string;
  actor_id: string | null; // null: the system (expiry)
  action: InvitationAction;
  at: string;
}

/** The IDK bar: `recipient_id` said they don't know `sender_id`. */
export interface PairBarTable {
  recipient_id: string;
  sender_id: string;
  invitation_id: string;
  created_at: string;
}
