// Vitest global setup: starts the real servers the production adapters are tested against
// (installed into .servers/ by scripts/test-servers.sh, which `npm test` runs first) on free
// loopback ports, hands their addresses to the tests, and stops them afterwards.
// YISHI_TEST_MONGODB_URI points the tests at a server of your own instead.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';

const ROOT = path.resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
    serversProblem: string;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs: number) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
}

const children: ChildProcess[] = [];

async function startFerretDb(): Promise<string> {
  const bin = path.join(ROOT, '.servers/ferretdb');
  if (!fs.existsSync(bin)) throw new Error('FerretDB is not installed: run scripts/test-servers.sh');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-ferretdb-'));
  const child = spawn(bin, ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--log-level=error', '--debug-addr=-', `--state-dir=${dir}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitForPort(port, child, 'FerretDB', 30_000);
  return `mongodb://127.0.0.1:${port}/`;
}

export default async function setup(project: TestProject) {
  const problems: string[] = [];
  let mongodbUri = process.env.YISHI_TEST_MONGODB_URI ?? '';
  if (!mongodbUri) mongodbUri = await startFerretDb().catch((err) => (problems.push(String(err.message)), ''));
  project.provide('mongodbUri', mongodbUri);
  project.provide('serversProblem', problems.join('; '));
  return async () => {
    for (const child of children) child.kill('SIGTERM');
  };
}
