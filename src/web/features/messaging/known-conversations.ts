/**
 * Which conversation this browser knows with which member. A connection or an invitation carries no
 * conversation id, so the web app learns ids where they appear (a received invitation's
 * `conversationId`, the answer to a reply, an opened thread) and keeps them for the tab's session,
 * per signed-in member. A "Message" button is shown only where an id is known.
 */
const key = (viewerId: string) => `rapport.conversations.${viewerId}`;

function read(viewerId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key(viewerId)) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function rememberConversation(viewerId: string, memberId: string, conversationId: string): void {
  const all = read(viewerId);
  if (all[memberId] === conversationId) return;
  all[memberId] = conversationId;
  try {
    sessionStorage.setItem(key(viewerId), JSON.stringify(all));
  } catch {
    // Storage full or disabled: the button just stays hidden.
  }
}

export function conversationWith(viewerId: string, memberId: string): string | undefined {
  return read(viewerId)[memberId];
}
