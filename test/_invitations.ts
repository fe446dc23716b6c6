/** Shared steps for invitation tests: HTTP calls as a member would make them. */
import type { FastifyInstance } from 'fastify';
import type { Session } from './_util.js';

export function api(app: FastifyInstance) {
  const call = (s: Session, method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: s.headers, ...(payload !== undefined && { payload }) });
  return {
    call,
    send: (s: Session, recipientId: string, note?: string) => call(s, 'POST', '/api/invitations', { recipientId, ...(note !== undefined && { note }) }),
    act: (s: Session, id: string, action: 'accept' | 'ignore' | 'restore' | 'idk' | 'spam' | 'withdraw') => call(s, 'POST', `/api/invitations/${id}/${action}`),
    reply: (s: Session, id: string, body: string) => call(s, 'POST', `/api/invitations/${id}/replies`, { body }),
    received: (s: Session, folder: 'inbox' | 'archived' = 'inbox') => call(s, 'GET', `/api/invitations/received?folder=${folder}`),
    sent: (s: Session, query = '') => call(s, 'GET', `/api/invitations/sent${query}`),
    get: (s: Session, id: string) => call(s, 'GET', `/api/invitations/${id}`),
    profile: (s: Session, memberId: string) => call(s, 'GET', `/api/members/${memberId}`),
    connections: (s: Session, query = '') => call(s, 'GET', `/api/connections${query}`),
    removeConnection: (s: Session, memberId: string) => call(s, 'DELETE', `/api/connections/${memberId}`),
    block: (s: Session, memberId: string) => call(s, 'POST', '/api/blocks', { memberId }),
    events: (s: Session, id: string) => call(s, 'GET', `/api/invitations/${id}/events`),
  };
}
