// Vitest global setup: starts the real servers the production adapters are tested against
// (installed into .servers/ by scripts/test-servers.sh, which `npm test` runs first) on free
// loopback ports, hands their addresses to the tests, and stops them afterwards.
// YISHI_TEST_MONGODB_URI points the tests at a server of your own instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { freePort, startBroker, waitForPort, type Broker } from './broker.js';

export { freePort };

const ROOT = path.resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
    zeebeAddress: string;
    /** The Yishi exporter of that broker; empty for a shared broker given by YISHI_TEST_ZEEBE_ADDRESS. */
    zeebeExporterUrl: string;
    serversProblem: string;
  }
}

const children: ChildProcess[] = [];
const brokers: Broker[] = [];

/** A FerretDB of its own (SQLite-backed, in a temporary directory); a test may kill it. */
export async function startFerretDb(): Promise<{ uri: string; process: ChildProcess }> {
  const bin = path.join(ROOT, '.servers/ferretdb');
  if (!fs.existsSync(bin)) throw new Error('FerretDB is not installed: run scripts/test-servers.sh');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-ferretdb-'));
  const child = spawn(bin, ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--log-level=error', '--debug-addr=-', `--state-dir=${dir}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, child, 'FerretDB', 30_000).catch((err) => {
    child.kill();
    throw err;
  });
  return { uri: `mongodb://127.0.0.1:${port}/`, process: child };
}

async function startZeebe(): Promise<Broker> {
  const broker = await startBroker();
  brokers.push(broker);
  return broker;
}

export default async function setup(project: TestProject) {
  const problems: string[] = [];
  let mongodbUri = process.env.YISHI_TEST_MONGODB_URI ?? '';
  const shared = process.env.YISHI_TEST_ZEEBE_ADDRESS;
  const zeebe = shared ? Promise.resolve({ address: shared, exporterUrl: '' }) : startZeebe().catch((err) => (problems.push(String(err.message)), { address: '', exporterUrl: '' }));
  if (!mongodbUri) {
    mongodbUri = await startFerretDb().then(
      (f) => (children.push(f.process), f.uri),
      (err) => (problems.push(String(err.message)), ''),
    );
  }
  const { address, exporterUrl } = await zeebe;
  project.provide('mongodbUri', mongodbUri);
  project.provide('zeebeAddress', address);
  project.provide('zeebeExporterUrl', exporterUrl);
  project.provide('serversProblem', problems.join('; '));
  return async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(brokers.map((b) => b.stop()));
  };
}
