// Routes of the everyday approval operations (转办, 委派, 加签, 退回, 撤回, 抄送, 催办, 意见): thin, the
// rules live in domain/runtime/operations.ts and signing.ts.
import { Router } from 'express';
import type { JsonObject } from '../json.js';
import { body, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

type Operation = keyof Pick<Deps['operations'], 'transfer' | 'delegate' | 'resolve' | 'sendBack' | 'urge' | 'withdraw' | 'copy'>;

/** POST /:id/<path> → operations[op](user, id, body). */
function post(r: Router, path: string, run: (req: AuthedRequest) => Promise<unknown>, status = 200) {
  r.post(`/:id/${path}`, async (req: AuthedRequest, res) => {
    res.status(status).json(await run(req));
  });
}

const call = (ops: Deps['operations'], op: Operation) => (req: AuthedRequest) =>
  ops[op](user(req), req.params.id as string, body(req) as JsonObject);

export function taskOperationsRouter({ operations, signing }: Deps) {
  const r = Router();
  post(r, 'transfer', call(operations, 'transfer'));
  post(r, 'delegate', call(operations, 'delegate'));
  post(r, 'resolve', call(operations, 'resolve'));
  post(r, 'return', call(operations, 'sendBack'));
  post(r, 'urge', call(operations, 'urge'));
  post(r, 'sign', (req) => signing.sign(user(req), req.params.id as string, body(req) as JsonObject));
  post(r, 'sign/refuse', (req) => signing.refuse(user(req), req.params.id as string, body(req) as JsonObject));
  r.get('/:id/sign', async (req: AuthedRequest, res) => {
    res.json(await signing.chain(user(req), req.params.id as string));
  });
  r.delete('/:id/sign/:username', async (req: AuthedRequest, res) => {
    res.json(await signing.unsign(user(req), req.params.id as string, req.params.username as string, body(req) as JsonObject));
  });
  r.get('/:id/returnable', async (req: AuthedRequest, res) => {
    res.json(await operations.returnable(user(req), req.params.id as string));
  });
  return r;
}

export function caseOperationsRouter({ operations }: Deps) {
  const r = Router();
  post(r, 'withdraw', call(operations, 'withdraw'));
  post(r, 'cc', call(operations, 'copy'));
  post(r, 'comments', (req) => operations.comment(user(req), req.params.id as string, body(req) as JsonObject), 201);
  return r;
}
