// A real Zeebe broker (installed into .servers/ by scripts/test-servers.sh) on free loopback ports,
// with the Yishi exporter (exporter/, built by the same script) serving its records. Tests that need
// records start their own, so no other test's adapter consumes them; it can be killed and
// restarted on the same data directory.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXPORTER_JAR = path.join(ROOT, 'exporter/target/yishi-zeebe-exporter.jar');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs: number) {
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

/** Zeebe 8.6 is built for Java 21: the newest JDK under /usr/lib/jvm (or JAVA_HOME) runs it. */
export function javaHome(): string {
  const jvm = '/usr/lib/jvm';
  const version = (name: string) => Number(/(\d+)/.exec(name.replace(/^java-1\./, 'java-'))?.[1] ?? 0);
  const candidates = fs.existsSync(jvm) ? fs.readdirSync(jvm).filter((d) => fs.existsSync(path.join(jvm, d, 'bin/java'))).sort((a, b) => version(b) - version(a)) : [];
  const best = candidates.find((d) => version(d) >= 21);
  if (best) return path.join(jvm, best);
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  throw new Error(`Zeebe 8.6 needs Java 21 or newer; found ${candidates.join(', ') || 'none'} in ${jvm}`);
}

export interface Broker {
  address: string;
  exporterUrl: string;
  /** The exporter's shared token, new for each broker. */
  exporterToken: string;
  /** What a Yishi server needs to run on this broker (ENGINE=zeebe and where and how to pull records). */
  serverEnv: Record<string, string>;
  dir: string;
  /** Ends the broker (SIGKILL: as a crash) and waits for it to be gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same data and ports. */
  restart(): Promise<void>;
}

export async function startBroker(opts: { exporter?: boolean; exporterCapacity?: number } = {}): Promise<Broker> {
  const bin = path.join(ROOT, '.servers/zeebe/bin/broker');
  if (!fs.existsSync(bin)) throw new Error('Zeebe is not installed: run scripts/test-servers.sh');
  const exporter = opts.exporter ?? true;
  if (exporter && !fs.existsSync(EXPORTER_JAR)) throw new Error('the Yishi exporter is not built: run scripts/test-servers.sh');
  const [gateway, command, internal, rest, management, records] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-zeebe-'));
  const token = crypto.randomBytes(24).toString('base64url');
  const env = {
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
    ...(exporter && {
      ZEEBE_BROKER_EXPORTERS_YISHI_CLASSNAME: 'yishi.exporter.YishiExporter',
      ZEEBE_BROKER_EXPORTERS_YISHI_JARPATH: EXPORTER_JAR,
      ZEEBE_BROKER_EXPORTERS_YISHI_ARGS_PORT: String(records),
      ZEEBE_BROKER_EXPORTERS_YISHI_ARGS_TOKEN: token,
      ...(opts.exporterCapacity && { ZEEBE_BROKER_EXPORTERS_YISHI_ARGS_CAPACITY: String(opts.exporterCapacity) }),
    }),
  };
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(bin, [], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(gateway, child, 'Zeebe', 120_000);
    // The gateway listens before the partition has a leader: wait for the broker to say it is ready.
    const started = Date.now();
    while (Date.now() - started < 120_000) {
      if (await fetch(`http://127.0.0.1:${management}/ready`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('Zeebe did not become ready within 120 s');
  };
  await launch();
  const address = `127.0.0.1:${gateway}`;
  const exporterUrl = exporter ? `http://127.0.0.1:${records}` : '';
  return {
    address,
    exporterUrl,
    exporterToken: token,
    serverEnv: { ENGINE: 'zeebe', ZEEBE_ADDRESS: address, ZEEBE_EXPORTER_URL: exporterUrl, ZEEBE_EXPORTER_TOKEN: token },
    dir,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
    restart: launch,
  };
}
