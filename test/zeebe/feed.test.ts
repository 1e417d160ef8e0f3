// The record feed against a scripted exporter: what it acknowledges, and when it delivers again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordFeed } from '../../server/engine/zeebe/feed.js';
import type { ZeebeRecord } from '../../server/engine/zeebe/mirror.js';

const variable = (position: number, instance: string): ZeebeRecord => ({
  partition: 1, position, yishiInstanceId: instance,
  record: { key: position, valueType: 'VARIABLE', intent: 'CREATED', timestamp: 0, value: { name: 'topic', value: '"修路"' } },
});
const started = (position: number, instance: string): ZeebeRecord => ({
  partition: 1, position, yishiInstanceId: instance,
  record: { key: position, valueType: 'PROCESS_INSTANCE', intent: 'ELEMENT_ACTIVATING', timestamp: 0, value: { bpmnElementType: 'PROCESS' } },
});

/** Serves each batch to one pull, then nothing; records every acknowledgement. */
function exporter(batches: ZeebeRecord[][]) {
  const acks: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/ack') {
      acks.push(url.searchParams.get('positions')!);
      return res.end('{}');
    }
    const records = batches.shift() ?? [];
    setTimeout(() => res.end(JSON.stringify({ records })), records.length ? 0 : 200);
  });
  return { server, acks };
}

let feed: RecordFeed | null = null;
let server: http.Server | null = null;
afterEach(async () => {
  await feed?.close();
  server?.close();
});

async function run(batches: ZeebeRecord[][], deliver: (id: string, f: RecordFeed) => Promise<void | 'wait'>) {
  const ex = exporter(batches);
  server = ex.server;
  await new Promise<void>((r) => ex.server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(ex.server.address() as AddressInfo).port}`;
  feed = new RecordFeed([url], 'token-token-token', (id) => deliver(id, feed!), () => undefined);
  return ex.acks;
}

const until = async <T>(fn: () => T | undefined) => {
  for (let i = 0; i < 100; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
};

describe('record feed', () => {
  it('keeps records a delivery waits on unacknowledged and hands them over again with the next ones', async () => {
    const seen: number[][] = [];
    const acks = await run([[variable(10, 'a.1'), variable(11, 'a.1')], [started(12, 'a.1')]], async (id, f) => {
      const positions = f.records(id).map((r) => r.position);
      seen.push(positions);
      if (positions.length < 3) return 'wait';
      f.prune(id, () => true);
    });
    await until(() => seen.length >= 2 && acks.includes('1:12'));
    expect(seen).toEqual([[10, 11], [10, 11, 12]]);
    // Nothing past 9 was acknowledged while the copies waited.
    expect(acks.slice(0, acks.indexOf('1:12')).every((a) => a === '1:9')).toBe(true);
  });

  it('acknowledges what a delivery applied', async () => {
    const acks = await run([[variable(5, 'b')]], async (id, f) => void f.prune(id, () => true));
    await until(() => acks.includes('1:5'));
  });
});
