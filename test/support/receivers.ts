// Local destinations for outbound notifications: a real SMTP server (smtp-server) and an HTTP
// receiver answering as WeCom/DingTalk group robots do. Each records only what it accepted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string;
  raw: string;
}

export async function smtpReceiver() {
  const accepted: Mail[] = [];
  /** While held, a message is read but never acknowledged (a server stuck in DATA). */
  let hold = false;
  let started = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      started++;
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        if (hold) return;
        accepted.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        callback();
      });
    },
  });
  // A sender killed mid-session (the kill -9 test) resets its connection: expected, not a failure.
  // Without a listener the server's 'error' event would end the test run as an uncaught exception.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET') console.error('smtp receiver:', err);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    started: () => started,
    setHold: (v: boolean) => (hold = v),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function webhookReceiver() {
  const received: { path: string; body: any }[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
