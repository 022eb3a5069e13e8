// A local SMTP server that keeps what it receives, with a web page to read it: the development
// inbox of `npm start`, and the real SMTP peer of the notification tests.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface DevInbox {
  smtpPort: number;
  url: string | null;
  messages: ParsedMail[];
  stop(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface DevInboxOptions {
  smtpPort: number;
  httpPort?: number;
  host?: string;
  /** Tests: answer this message with a temporary failure (451) instead of keeping it. */
  refuse?: (mail: ParsedMail) => boolean;
}

export async function startDevInbox(options: DevInboxOptions): Promise<DevInbox> {
  const host = options.host ?? '127.0.0.1';
  const messages: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        if (options.refuse?.(mail)) {
          callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          return;
        }
        messages.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, host, () => resolve());
  });

  let web: ReturnType<typeof serve> | undefined;
  if (options.httpPort) {
    const app = new Hono();
    app.get('/', (c) =>
      c.html(`<!doctype html><meta charset="utf-8"><title>Samband dev inbox</title>
      <style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:left}</style>
      <h1>Development inbox (${messages.length})</h1><table><tr><th>#</th><th>received</th><th>to</th><th>subject</th></tr>
      ${messages
        .map(
          (m, i) => `<tr><td>${i}</td><td>${escapeHtml(m.date?.toISOString() ?? '')}</td><td>${escapeHtml(
            m.to
              ? [m.to]
                  .flat()
                  .map((a) => a.text)
                  .join(', ')
              : '',
          )}</td>
        <td><a href="/messages/${i}">${escapeHtml(m.subject ?? '')}</a></td></tr>`,
        )
        .reverse()
        .join('')}</table>`),
    );
    app.get('/messages/:i', (c) => {
      const m = messages[Number(c.req.param('i'))];
      if (!m) return c.notFound();
      return c.html(typeof m.html === 'string' ? m.html : `<pre>${escapeHtml(m.text ?? '')}</pre>`);
    });
    web = serve({ fetch: app.fetch, port: options.httpPort, hostname: host });
  }
  return {
    smtpPort: options.smtpPort,
    url: options.httpPort ? `http://${host}:${options.httpPort}` : null,
    messages,
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (web) await new Promise<void>((resolve) => web!.close(() => resolve()));
    },
  };
}
