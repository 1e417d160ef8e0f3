// Printable documents of a case: GET /api/documents?instanceId= lists them, GET
// /api/documents/:instanceId/:key fills one from the case's data.
import { Router } from 'express';
import { badRequest } from '../errors.js';
import { query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function documentsRouter({ documents }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    const instanceId = query(req, 'instanceId');
    if (!instanceId) throw badRequest('缺少 instanceId', [{ path: 'instanceId', message: 'required' }]);
    res.json(await documents.list(user(req), instanceId));
  });
  r.get('/:instanceId/:key', async (req: AuthedRequest, res) => {
    res.json(await documents.fill(user(req), req.params.instanceId as string, req.params.key as string));
  });
  return r;
}
