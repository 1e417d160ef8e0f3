import { Router } from 'express';
import { badRequest } from '../errors.js';
import { body, query, user, type AuthedRequest } from './http.js';
import type { Services } from './services.js';

const EDITORS = ['official', 'admin'];

export function processesRouter({ jurisdictions, access, catalog, store }: Services) {
  const r = Router();
  const readable = (req: AuthedRequest, id: string) => {
    jurisdictions.get(id);
    access.requireMember(user(req), id);
  };
  r.get('/', async (req: AuthedRequest, res) => {
    const id = query(req, 'jurisdiction');
    if (!id) throw badRequest('缺少 jurisdiction 参数', [{ path: 'jurisdiction', message: 'required' }]);
    readable(req, id);
    res.json((await jurisdictions.effective(id)).processes);
  });
  r.get('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    readable(req, id);
    const v = query(req, 'version');
    const version = v === undefined ? undefined : Number(v);
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw badRequest('version 应为正整数', [{ path: 'version', message: 'positive integer' }]);
    const d = await jurisdictions.definition(id, req.params.key as string, version);
    res.json({ key: d.key, name: d.name, version: d.version, xml: d.xml, definedAt: d.jurisdiction, createdAt: d.createdAt, createdBy: d.createdBy });
  });
  r.get('/:jurisdiction/:key/versions', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    readable(req, id);
    const d = await jurisdictions.definition(id, req.params.key as string);
    const versions = await store.definitions.versions(d.jurisdiction, d.key);
    res.json(versions.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, definedAt: v.jurisdiction })));
  });
  r.put('/:jurisdiction/:key', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    jurisdictions.get(id);
    const u = access.require(user(req), id, EDITORS);
    const { xml, baseVersion } = body(req);
    res.status(201).json(await catalog.deployProcess(id, req.params.key as string, xml, baseVersion, u.username));
  });
  return r;
}

export function formsRouter({ jurisdictions, access, catalog }: Services) {
  const r = Router();
  r.get('/:jurisdiction/:formKey', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    jurisdictions.get(id);
    access.requireMember(user(req), id);
    const f = await jurisdictions.form(id, req.params.formKey as string);
    res.json({ ...f.doc, formKey: f.formKey, version: f.version, schema: f.doc.schema, uiSchema: f.doc.uiSchema ?? {}, definedAt: f.jurisdiction });
  });
  r.put('/:jurisdiction/:formKey', async (req: AuthedRequest, res) => {
    const id = req.params.jurisdiction as string;
    jurisdictions.get(id);
    const u = access.require(user(req), id, EDITORS);
    res.status(201).json(await catalog.saveForm(id, req.params.formKey as string, body(req) as any, u.username));
  });
  return r;
}
