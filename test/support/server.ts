// Starts the real server as a child process on a free port with its own DATA_DIR, and a small
// cookie-keeping HTTP client for the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURE_CONTENT = path.join(ROOT, 'test/fixtures/content');
export const ADMIN_PASSWORD = 'test-admin-password';
export const DEMO_PASSWORD = 'yishi-demo-2026';

export interface Server {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function tempDir(prefix = 'yishi-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(opts: { dataDir?: string; contentDir?: string; env?: Record<string, string> } = {}): Promise<Server> {
  const dataDir = opts.dataDir ?? tempDir();
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      CONTENT_DIR: opts.contentDir ?? FIXTURE_CONTENT,
      ADMIN_PASSWORD,
      TIMER_POLL_MS: '100',
      NODE_ENV: 'test',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A signed-in (or anonymous) client that keeps its session cookie. */
export class Client {
  private cookie = '';

  constructor(private readonly base: string) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> {
    const res = await fetch(this.base + url, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** POSTs one file as multipart/form-data (field `file`). */
  async upload<T = any>(url: string, name: string, bytes: Uint8Array): Promise<Response<T>> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(this.base + url, { method: 'POST', headers: this.cookie ? { cookie: this.cookie } : {}, body: form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  /** The raw bytes of a GET. */
  async bytes(url: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(this.base + url, { headers: this.cookie ? { cookie: this.cookie } : {} });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  /** The same session against another server (several servers share the store and SESSION_SECRET). */
  on(base: string): Client {
    const c = new Client(base);
    c.cookie = this.cookie;
    return c;
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  put = <T = any>(url: string, body?: unknown) => this.request<T>('PUT', url, body);
  del = <T = any>(url: string) => this.request<T>('DELETE', url);
  /** The raw response of a GET (files: .xlsx, CSV), with this client's session. */
  download = (url: string) => fetch(this.base + url, { headers: this.cookie ? { cookie: this.cookie } : {} });

  /** Every item of a paged list ({items, nextCursor}), following the cursor to the end. */
  async all<T = any>(url: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const res: Response<{ items: T[]; nextCursor: string | null }> = await this.get(cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  static async signIn(base: string, username: string, password = DEMO_PASSWORD): Promise<Client> {
    const c = new Client(base);
    const res = await c.post('/api/session', { username, password });
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return c;
  }
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
