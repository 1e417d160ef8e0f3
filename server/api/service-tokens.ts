import { Router } from 'express';
import { body, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

/** Bearer tokens for job workers (admin): list, issue (the token is in this one answer), revoke. */
export function serviceTokensRouter({ serviceTokens }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await serviceTokens.list(user(req)));
  });
  r.post('/', async (req: AuthedRequest, res) => {
    res.status(201).json(await serviceTokens.issue(user(req), body(req)));
  });
  r.delete('/:id', async (req: AuthedRequest, res) => {
    await serviceTokens.revoke(user(req), req.params.id as string);
    res.status(204).end();
  });
  return r;
}
