import { Router } from 'express';
import { paging, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function auditRouter({ audit }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await audit.list(user(req), { ...paging(req), instanceId: query(req, 'instanceId'), jurisdiction: query(req, 'jurisdiction') }));
  });
  return r;
}
