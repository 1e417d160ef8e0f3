import { Router } from 'express';
import { badRequest } from '../errors.js';
import { body, knownJurisdiction, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

/** DMN documents, deployed and versioned like diagrams (the same baseVersion/409 rule). */
export function decisionsRouter({ jurisdictions, catalog }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  r.get('/', async (req: AuthedRequest, res) => {
    const id = query(req, 'jurisdiction');
    if (!id) throw badRequest('缺少 jurisdiction 参数', [{ path: 'jurisdiction', message: 'required' }]);
    jurisdictions.get(id);
    res.json(await catalog.decisions(user(req), id));
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
