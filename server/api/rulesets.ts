import { Router } from 'express';
import { body, knownJurisdiction, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function ruleSetsRouter({ ruleSets, jurisdictions }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  r.post('/', async (req: AuthedRequest, res) => {
    res.status(201).json(await ruleSets.importBy(user(req), body(req)));
  });
  r.get('/:jurisdiction', async (req: AuthedRequest, res) => {
    res.json(await ruleSets.export(user(req), req.params.jurisdiction as string));
  });
  return r;
}
