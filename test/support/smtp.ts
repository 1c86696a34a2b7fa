// A real SMTP server (smtp-server) on a free loopback port that keeps every accepted mail, parsed by
// mailparser (multipart text + HTML, encoded headers), and can refuse chosen recipients or run a hook on
// a mail's data before it answers (to stop a sender in the middle of a delivery).
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../server/db/embedded.js';
import type { MailMessage } from '../../server/invitations/delivery.js';

/** A mail as it arrived: what the sender handed the mailer (read back from the wire), and how it came. */
export interface Mail extends MailMessage {
  /** The Content-Type of each part, e.g. ["text/plain", "text/html"]. */
  parts: string[];
  /** When the server accepted it (ms). */
  at: number;
}

export interface Inbox {
  url: string;
  mails: Mail[];
  /** Recipients refused with 550. */
  reject: Set<string>;
  /** Runs when a mail's data has arrived, before the server answers; return false to drop it unanswered. */
  onData?: (to: string[]) => boolean | Promise<boolean>;
  close(): Promise<void>;
}

export const tokenIn = (mail: Pick<Mail, 'text'>): string => /\/t\/([0-9a-z]{20})/.exec(mail.text)![1]!;
export const unsubscribeIn = (mail: Pick<Mail, 'text'>): string => /\/unsubscribe\/([A-Za-z0-9_-]{32})/.exec(mail.text)![1]!;

/** How many mails each address received. */
export function deliveries(mails: readonly Mail[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const m of mails) n.set(m.to, (n.get(m.to) ?? 0) + 1);
  return n;
}

export async function startInbox(): Promise<Inbox> {
  const port = await freePort();
  const inbox: Inbox = { url: `smtp://127.0.0.1:${port}`, mails: [], reject: new Set(), close: async () => {} };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (inbox.reject.has(address.address)) return cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        void (async () => {
          if (inbox.onData && !(await inbox.onData(to))) return;
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          const parts = [...raw.toString('latin1').matchAll(/^Content-Type:\s*([\w/+-]+)/gim)].map((m) => m[1]!.toLowerCase()).filter((t) => !t.startsWith('multipart/'));
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
          for (const address of to) inbox.mails.push({ to: address, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', messageId: parsed.messageId ?? '', headers, parts, at: Date.now() });
          cb();
        })().catch((err: unknown) => cb(err as Error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  inbox.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return inbox;
}
