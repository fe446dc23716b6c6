/** Shared steps for messaging and notification tests: HTTP calls as a member would make them. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { api } from './_invitations.js';
import type { Session } from './_util.js';

export function messagingApi(app: FastifyInstance) {
  const x = api(app);
  const { call } = x;
  const invite = async (from: Session, to: Session): Promise<string> => {
    const r = await x.send(from, to.id);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().invitation.id;
  };
  return {
    ...x,
    invite,
    /** Invite and accept: the two become connections. */
    connect: async (a: Session, b: Session): Promise<string> => {
      const id = await invite(a, b);
      expect((await x.act(b, id, 'accept')).statusCode).toBe(200);
      return id;
    },
    start: (s: Session, memberId: string) => call(s, 'POST', '/api/conversations', { memberId }),
    conversations: (s: Session, query = '') => call(s, 'GET', `/api/conversations${query}`),
    conversation: (s: Session, id: string) => call(s, 'GET', `/api/conversations/${id}`),
    post: (s: Session, conversationId: string, body: string) => call(s, 'POST', `/api/conversations/${conversationId}/messages`, { body }),
    messages: (s: Session, conversationId: string, query = '') => call(s, 'GET', `/api/conversations/${conversationId}/messages${query}`),
    read: (s: Session, conversationId: string) => call(s, 'POST', `/api/conversations/${conversationId}/read`),
    notifications: (s: Session, query = '') => call(s, 'GET', `/api/notifications${query}`),
    unread: (s: Session) => call(s, 'GET', '/api/notifications/unread-count'),
    markRead: (s: Session, ids?: string[]) => call(s, 'POST', '/api/notifications/read', ids === undefined ? {} : { ids }),
  };
}
