import { hash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** Time-ordered ids, generated in code so both dialects agree. */
export const newId = (): string => uuidv7();

/** A bearer secret: 32 random bytes, base64url, with a readable prefix. */
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

/** Secrets are stored only as this hash. */
export const sha256 = (value: string): string => hash('sha256', value, 'hex');

/** The key of an unordered pair of members (an invitation's pair, a conversation): both ids, sorted. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);
