import { Router } from 'express';
import { body, jurisdictionQuery, knownJurisdiction, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

/** DMN documents, deployed and versioned like diagrams (the same baseVersion/409 rule). */
export function decisionsRouter({ jurisdictions, catalog }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await catalog.decisions(user(req), jurisdictionQuery(req, jurisdictions)));
  });
  r.get('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const d = await catalog.decision(user(req), req.params.jurisdiction as string, req.params.key as string);
    res.json({ key: d.key, name: d.name, version: d.version, xml: d.xml, decisions: d.decisions, definedAt: d.jurisdiction, createdAt: d.createdAt, createdBy: d.createdBy });
  });
  r.put('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const u = user(req);
    const { xml, baseVersion } = body(req);
    res.status(201).json(await catalog.deployDecision(u, req.params.jurisdiction as string, req.params.key as string, xml, baseVersion));
  });
  return r;
}
