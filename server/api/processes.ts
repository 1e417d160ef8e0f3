import { Router } from 'express';
import { badRequest } from '../errors.js';
import { body, jurisdictionQuery, knownJurisdiction, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

/** `?version=`: absent, or a positive integer. */
function version(req: AuthedRequest): number | undefined {
  const v = query(req, 'version');
  const n = v === undefined ? undefined : Number(v);
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw badRequest('version 应为正整数', [{ path: 'version', message: 'positive integer' }]);
  return n;
}

export function processesRouter({ jurisdictions, catalog }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await catalog.processes(user(req), jurisdictionQuery(req, jurisdictions)));
  });
  r.get('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const d = await catalog.process(user(req), req.params.jurisdiction as string, req.params.key as string, version(req));
    res.json({ key: d.key, name: d.name, version: d.version, xml: d.xml, definedAt: d.jurisdiction, createdAt: d.createdAt, createdBy: d.createdBy });
  });
  r.get('/:jurisdiction/:key/versions', async (req: AuthedRequest, res) => {
    const versions = await catalog.versions(user(req), req.params.jurisdiction as string, req.params.key as string);
    res.json(versions.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, createdByName: v.createdByName, definedAt: v.jurisdiction })));
  });
  r.get('/:jurisdiction/:key/schedule', async (req: AuthedRequest, res) => {
    res.json(await catalog.schedule(user(req), req.params.jurisdiction as string, req.params.key as string));
  });
  r.put('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const u = user(req);
    const { xml, baseVersion } = body(req);
    res.status(201).json(await catalog.deployProcess(u, req.params.jurisdiction as string, req.params.key as string, xml, baseVersion));
  });
  return r;
}
