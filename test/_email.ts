/**
 * A real SMTP server for tests and the crash script: `smtp-server` on a random local port, no TLS,
 * no auth, keeping every message it accepts. `take()` parses (with mailparser) what arrived since
 * the last call.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  port: number;
  url: string;
  received: Received[];
  /** Parse and hand over the messages received since the last call. */
  take(): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { onMessage?: (raw: Buffer, to: string[]) => Promise<void> | void } = {}): Promise<SmtpSink> {
  const received: Received[] = [];
  let taken = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of the client: slow or failing lookups would dominate every connection.
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((r) => r.address);
        Promise.resolve(opts.onMessage?.(raw, to)).then(
          () => {
            received.push({ to, raw });
            callback();
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });
  // A client killed mid-conversation (the crash test) resets its connection: not the server's failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('the SMTP sink has no TCP address');
  const port = address.port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    take: async () => {
      const fresh = received.slice(taken);
      taken = received.length;
      return Promise.all(fresh.map((r) => simpleParser(r.raw)));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header exactly as sent (unfolded), e.g. `header(mail, 'list-unsubscribe-post')`. */
export function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((l) => l.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

export const addressOf = (mail: ParsedMail): string => {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? '';
};
