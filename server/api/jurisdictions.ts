import { Router } from 'express';
import { forbidden } from '../errors.js';
import { body, user, type AuthedRequest } from './http.js';
import type { Services } from './services.js';

export function jurisdictionsRouter({ jurisdictions, access }: Services) {
  const r = Router();
  // The tree itself is public: the public results page needs it.
  r.get('/', (_req, res) => {
    res.json(jurisdictions.list().map((j) => ({ id: j.id, name: j.name, parent: j.parent })));
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    const id = req.params.id as string;
    jurisdictions.get(id);
    access.requireMember(user(req), id);
    res.json(await jurisdictions.effective(id));
  });
  return r;
}

export function ruleSetsRouter({ ruleSets, jurisdictions, access }: Services) {
  const r = Router();
  r.post('/', async (req: AuthedRequest, res) => {
    const u = user(req);
    const bundle = body(req);
    const j = bundle.jurisdiction as { id?: unknown; parent?: unknown } | undefined;
    const id = typeof j?.id === 'string' ? j.id : null;
    const parent = typeof j?.parent === 'string' ? j.parent : null;
    // Changing a jurisdiction needs admin there; creating one needs admin of its parent, or of
    // every top-level jurisdiction for a new top level.
    const target = id && jurisdictions.exists(id) ? id : parent && jurisdictions.exists(parent) ? parent : null;
    const allowed = target
      ? access.has(u, target, ['admin'])
      : jurisdictions.list().filter((x) => !x.parent).every((x) => access.has(u, x.id, ['admin']));
    if (!allowed) throw forbidden(`需要 ${target ?? '所有顶级辖区'} 的管理员角色 (admin only)`);
    res.status(201).json(await ruleSets.import(bundle, u.username));
  });
  r.get('/:jurisdiction', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    jurisdictions.get(id);
    access.require(user(req), id, ['admin', 'official']);
    res.json(await ruleSets.export(id));
  });
  return r;
}
