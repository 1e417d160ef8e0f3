// GET /api/health, for load balancers: 200 only while this server can serve, i.e. its store answers
// (and, in Zeebe mode, the broker and its record stream); otherwise 503 problem+json naming what
// does not answer, each check bounded so that the answer itself comes quickly.
import express from 'express';
import { DomainError } from '../errors.js';
import type { Engine } from '../engine/index.js';
import type { Store } from '../store/index.js';

/** Longest wait for one check. */
export const HEALTH_TIMEOUT_MS = 2000;
const RETRY_AFTER_S = 5;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function healthRouter({ store, engine, version }: { store: Store; engine: Engine; version: string }) {
  const checks: Record<'store' | 'engine', { what: string; run: () => Promise<unknown> }> = {
    store: { what: '数据库', run: () => store.isEmpty() },
    engine: { what: '流程引擎', run: () => engine.ping?.() ?? Promise.resolve() },
  };
  const router = express.Router();
  router.get('/', async (_req, res) => {
    const results = await Promise.all(Object.entries(checks).map(async ([path, c]) => {
      const failed = await within(c.run(), HEALTH_TIMEOUT_MS).then(() => null, (err: Error) => err.message);
      return failed === null ? null : { path, message: `${c.what}无法连接 (${failed})` };
    }));
    const errors = results.filter((e) => e !== null);
    if (errors.length) {
      const detail = `${errors.map((e) => e.message.split(' (')[0]).join('，')}，本服务器暂不可用 (this server cannot serve now)`;
      throw Object.assign(new DomainError(503, 'Service Unavailable', detail, errors), { retryAfter: RETRY_AFTER_S });
    }
    res.json({ status: 'ok', store: store.kind, engine: engine.kind, version });
  });
  return router;
}
