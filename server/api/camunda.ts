// Camunda 8's REST job API (v2, as 8.6 serves it) under /camunda/v2, for job workers written with
// Camunda's SDKs: POST /jobs/activation, /jobs/:jobKey/completion, /failure, /error,
// PATCH /jobs/:jobKey (retries, timeout), POST /signals/broadcast and GET /topology. Workers authenticate as service accounts, are rate-limited per account, and
// failed authentications per address. On the Zeebe engine job workers talk to the broker (501 here);
// a broadcast still comes here, so that signal start events start instances where they belong.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { DomainError } from '../errors.js';
import type { Jobs, WorkerPrincipal } from '../domain/runtime/jobs.js';
import type { Signals } from '../domain/runtime/signals.js';
import type { WorkerAuth } from '../domain/workers.js';
import { body, sendProblem } from './http.js';

interface WorkerRequest extends Request {
  worker?: WorkerPrincipal;
}

export interface CamundaApiOptions {
  /** Null on the Zeebe engine: its workers talk to the broker. */
  jobs: Jobs | null;
  signals: Signals;
  auth: WorkerAuth;
  version: string;
  /** Requests per second one account may make. */
  ratePerSecond: number;
}

const worker = (req: WorkerRequest) => req.worker!;

const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 20;

/**
 * Failed authentications per address in a window. Counted when one fails, not when a request
 * arrives: a worker's many requests in flight never count against it.
 */
export class FailedAttempts {
  private readonly byAddress = new Map<string, { n: number; until: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  blocked(address: string): boolean {
    const entry = this.byAddress.get(address);
    if (entry && entry.until <= Date.now()) this.byAddress.delete(address);
    return !!entry && entry.until > Date.now() && entry.n >= this.max;
  }

  count(address: string) {
    const now = Date.now();
    const entry = this.byAddress.get(address);
    if (entry && entry.until > now) entry.n++;
    else {
      if (this.byAddress.size > 10_000) this.byAddress.clear();
      this.byAddress.set(address, { n: 1, until: now + this.windowMs });
    }
  }
}

export function camundaRouter({ jobs, signals, auth, version, ratePerSecond }: CamundaApiOptions) {
  const r = Router();
  r.use(express.json({ limit: '2mb', strict: true }));
  const failures = new FailedAttempts(FAILURE_WINDOW_MS, MAX_FAILURES);
  const authenticate = async (req: WorkerRequest, res: Response, next: NextFunction) => {
    const address = ipKeyGenerator(req.ip ?? '');
    if (failures.blocked(address)) return sendProblem(res, 429, 'Too Many Requests', '认证失败次数过多，请 15 分钟后再试 (too many failed authentications)');
    try {
      req.worker = await auth.authenticate(req.headers.authorization);
      next();
    } catch (err) {
      const challenge = (err as { challenge?: string }).challenge;
      if (challenge) {
        failures.count(address);
        res.set('WWW-Authenticate', challenge);
      }
      next(err);
    }
  };
  const limit = rateLimit({
    windowMs: 1000,
    limit: ratePerSecond,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => worker(req).name,
    handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', `每个作业账号每秒最多 ${ratePerSecond} 个请求 (rate limit)`),
  });
  // Camunda's answer: the broadcast's key (8.6's REST spec names it key, its SDK and 8.7 signalKey)
  // and tenant, here the jurisdiction. Served on either engine: signal start events start
  // instances in Yishi, where they belong.
  r.post('/signals/broadcast', authenticate, limit, async (req: WorkerRequest, res) => {
    const { key } = await signals.byWorker(worker(req), body(req));
    res.json({ key, signalKey: key, tenantId: body(req).tenantId });
  });
  if (!jobs) {
    r.use(() => {
      throw new DomainError(501, 'Not Implemented', '本服务器运行在 Zeebe 引擎上：作业程序请直接连接 Zeebe 网关 (ZEEBE_REST_ADDRESS 指向网关的 REST 端口)，议事会同步结果 (on the Zeebe engine, job workers talk to the Zeebe gateway directly; Yishi mirrors what they do)');
    });
    return r;
  }
  r.use(authenticate, limit);
  r.get('/topology', (_req, res) => {
    res.json({
      brokers: [{ nodeId: 0, host: 'yishi', port: 0, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }], version }],
      clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: version,
    });
  });
  r.post('/jobs/activation', async (req: WorkerRequest, res) => {
    res.json(await jobs.activate(worker(req), body(req), () => req.socket.destroyed));
  });
  r.post('/jobs/:jobKey/completion', async (req: WorkerRequest, res) => {
    await jobs.complete(worker(req), req.params.jobKey as string, body(req));
    res.status(204).end();
  });
  r.post('/jobs/:jobKey/failure', async (req: WorkerRequest, res) => {
    await jobs.fail(worker(req), req.params.jobKey as string, body(req));
    res.status(204).end();
  });
  r.patch('/jobs/:jobKey', async (req: WorkerRequest, res) => {
    await jobs.update(worker(req), req.params.jobKey as string, body(req));
    res.status(204).end();
  });
  r.post('/jobs/:jobKey/error', async (req: WorkerRequest, res) => {
    await jobs.throwError(worker(req), req.params.jobKey as string, body(req));
    res.status(204).end();
  });
  r.use(() => {
    throw new DomainError(404, 'NOT_FOUND', '议事只提供 Camunda REST API 的作业接口 (only the job endpoints of the Camunda REST API are served)');
  });
  return r;
}
