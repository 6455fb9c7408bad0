import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/load.js';
import { createSmtpMailSender, MailDeliveryError } from './smtp.js';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
  user: string | undefined;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
});

/** A local SMTP server on an ephemeral port that records what it receives. */
async function startServer(options: { auth?: { user: string; pass: string } } = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received };
}

function smtpConfig(port: number, extra: Record<string, unknown> = {}) {
  return loadConfig({ env: {}, overrides: { mail: { transport: 'smtp', smtp: { host: '127.0.0.1', port, requireTls: false, connectionTimeoutSeconds: 5, ...extra } } } }).mail.smtp;
}

describe('SMTP mail sender', () => {
  it('delivers a message with From, To, Subject and the text body', async () => {
    const { port, received } = await startServer();
    const sender = createSmtpMailSender({ smtp: smtpConfig(port), from: 'Gatehouse <no-reply@example.com>' });
    await sender.send({ to: 'ann@example.com', subject: 'Reset your password', text: 'Open https://auth.example.com/reset-password?token=abc' });
    await sender.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe('no-reply@example.com');
    expect(received[0]!.to).toEqual(['ann@example.com']);
    expect(received[0]!.raw).toMatch(/^Subject: Reset your password\r?$/m);
    expect(received[0]!.raw).toContain('reset-password?token=abc');
  });

  it('authenticates with the configured user and password', async () => {
    const { port, received } = await startServer({ auth: { user: 'mailer', pass: 's3cret-smtp-pass' } });
    const sender = createSmtpMailSender({ smtp: smtpConfig(port, { user: 'mailer', password: 's3cret-smtp-pass' }), from: 'no-reply@example.com' });
    await sender.send({ to: 'ann@example.com', subject: 's', text: 't' });
    await sender.close();
    expect(received[0]!.user).toBe('mailer');
  });

  it('fails with a MailDeliveryError that names only a code (no password, no body) on bad credentials', async () => {
    const { port } = await startServer({ auth: { user: 'mailer', pass: 'right-password' } });
    const sender = createSmtpMailSender({ smtp: smtpConfig(port, { user: 'mailer', password: 'wrong-password-xyz' }), from: 'no-reply@example.com' });
    const err = await sender.send({ to: 'ann@example.com', subject: 's', text: 'body-with-token-XYZ' }).catch((e: unknown) => e);
    await sender.close();
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect((err as MailDeliveryError).message).toMatch(/^SMTP delivery failed \([A-Z]+\)$/);
    expect((err as Error).message).not.toContain('wrong-password-xyz');
    expect((err as Error).message).not.toContain('body-with-token-XYZ');
  });

  it('refuses to send in clear text when TLS is required and the server offers no STARTTLS', async () => {
    const { port, received } = await startServer();
    const sender = createSmtpMailSender({ smtp: smtpConfig(port, { requireTls: true }), from: 'no-reply@example.com' });
    const err = await sender.send({ to: 'ann@example.com', subject: 's', text: 't' }).catch((e: unknown) => e);
    await sender.close();
    expect(err).toBeInstanceOf(MailDeliveryError);
    expect(received).toHaveLength(0);
  });
});
