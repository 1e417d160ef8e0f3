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
    zeebeAddress: string;
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

/** Zeebe 8.6 is built for Java 21: the newest JDK under /usr/lib/jvm (or JAVA_HOME) runs it. */
function javaHome(): string {
  const jvm = '/usr/lib/jvm';
  const version = (name: string) => Number(/(\d+)/.exec(name.replace(/^java-1\./, 'java-'))?.[1] ?? 0);
  const candidates = fs.existsSync(jvm) ? fs.readdirSync(jvm).filter((d) => fs.existsSync(path.join(jvm, d, 'bin/java'))).sort((a, b) => version(b) - version(a)) : [];
  const best = candidates.find((d) => version(d) >= 21);
  if (best) return path.join(jvm, best);
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  throw new Error(`Zeebe 8.6 needs Java 21 or newer; found ${candidates.join(', ') || 'none'} in ${jvm}`);
}

async function startZeebe(): Promise<string> {
  const bin = path.join(ROOT, '.servers/zeebe/bin/broker');
  if (!fs.existsSync(bin)) throw new Error('Zeebe is not installed: run scripts/test-servers.sh');
  const [gateway, command, internal, rest, management] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-zeebe-'));
  const child = spawn(bin, [], {
    cwd: dir,
    env: {
      ...process.env,
      JAVA_HOME: javaHome(),
      JAVA_OPTS: '-Xmx768m',
      ZEEBE_BROKER_DATA_DIRECTORY: path.join(dir, 'data'),
      ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
      ZEEBE_BROKER_GATEWAY_NETWORK_HOST: '127.0.0.1',
      ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(gateway),
      ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(command),
      ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(internal),
      SERVER_PORT: String(rest),
      MANAGEMENT_SERVER_PORT: String(management),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitForPort(gateway, child, 'Zeebe', 120_000);
  // The gateway listens before the partition has a leader: wait for the broker to say it is ready.
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    const ready = await fetch(`http://127.0.0.1:${management}/ready`).then((r) => r.ok, () => false);
    if (ready) return `127.0.0.1:${gateway}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('Zeebe did not become ready within 120 s');
}

export default async function setup(project: TestProject) {
  const problems: string[] = [];
  let mongodbUri = process.env.YISHI_TEST_MONGODB_URI ?? '';
  let zeebeAddress = process.env.YISHI_TEST_ZEEBE_ADDRESS ?? '';
  const zeebe = zeebeAddress ? Promise.resolve(zeebeAddress) : startZeebe().catch((err) => (problems.push(String(err.message)), ''));
  if (!mongodbUri) mongodbUri = await startFerretDb().catch((err) => (problems.push(String(err.message)), ''));
  zeebeAddress = await zeebe;
  project.provide('mongodbUri', mongodbUri);
  project.provide('zeebeAddress', zeebeAddress);
  project.provide('serversProblem', problems.join('; '));
  return async () => {
    for (const child of children) child.kill('SIGTERM');
  };
}
