/**
 * Building blocks for email bodies. Every email has a text part and an HTML part; user content
 * (names, headlines, notes, messages) is escaped in HTML and kept verbatim in text. Bodies are
 * fragments: the Mailer wraps them in the document and adds the footer (unsubscribe for optional
 * categories), so every email of a category ends the same way.
 */
/** Escape text for HTML (element content and quoted attributes). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const h = escapeHtml;

export interface Content {
  subject: string;
  text: string;
  /** An HTML fragment, already escaped. */
  html: string;
}

/** A subject line from user content: one line, no control characters, bounded. */
export function subjectLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 150 ? `${flat.slice(0, 149)}…` : flat;
}

/** A short excerpt of user text for a digest. */
export function excerpt(s: string, max = 200): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const p = (html: string) => `<p style="margin:0 0 16px">${html}</p>`;
export const quote = (text: string) =>
  `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:3px solid #0a66c2;background:#f3f6f8;white-space:pre-wrap">${h(text)}</blockquote>`;

export function button(href: string, label: string, primary = true): string {
  const colours = primary ? 'background:#0a66c2;color:#ffffff;border:1px solid #0a66c2' : 'background:#ffffff;color:#0a66c2;border:1px solid #0a66c2';
  return `<a href="${h(href)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 16px;border-radius:16px;text-decoration:none;font-weight:600;${colours}">${h(label)}</a>`;
}

export const link = (href: string, label: string) => `<a href="${h(href)}" style="color:#0a66c2">${h(label)}</a>`;

/** The whole HTML document around a fragment. */
export function htmlDocument(subject: string, fragment: string, footer: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${h(subject)}</title></head>
<body style="margin:0;background:#f4f2ee"><div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;font:15px/1.5 -apple-system,system-ui,sans-serif;color:#1d2226">
${fragment}
<hr style="border:0;border-top:1px solid #d0d7de;margin:24px 0 12px"><p style="margin:0;color:#56687a;font-size:13px">${footer}</p></div></body></html>`;
}
