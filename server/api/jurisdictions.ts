import { Router } from 'express';
import { knownJurisdiction, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function jurisdictionsRouter({ jurisdictions, ruleSets }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  // The tree itself is public: the public results page needs it.
  r.get('/', (_req, res) => {
    res.json(jurisdictions.list().map((j) => ({ id: j.id, name: j.name, parent: j.parent })));
  });
  r.get('/:jurisdiction', async (req: AuthedRequest, res) => {
    res.json(await ruleSets.effective(user(req), req.params.jurisdiction as string));
  });
  return r;
}
