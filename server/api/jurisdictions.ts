import { Router } from 'express';
import { body, knownJurisdiction, user, type AuthedRequest } from './http.js';
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
  // Creates (baseVersion 0) or updates; the id may be new, so no jurisdiction preamble here.
  r.put('/:id', async (req: AuthedRequest, res) => {
    const id = req.params.id as string;
    const saved = await ruleSets.save(user(req), id, body(req));
    res.status(saved.created ? 201 : 200).json(await ruleSets.effective(user(req), id));
  });
  return r;
}
