import { Router } from 'express';
import { body, knownJurisdiction, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function formsRouter({ jurisdictions, catalog }: Deps) {
  const r = Router();
  r.param('jurisdiction', knownJurisdiction(jurisdictions));
  r.get('/:jurisdiction/:formKey', async (req: AuthedRequest, res) => {
    const f = await catalog.form(user(req), req.params.jurisdiction as string, req.params.formKey as string);
    res.json({ ...f.doc, formKey: f.formKey, version: f.version, schema: f.doc.schema, uiSchema: f.doc.uiSchema ?? {}, definedAt: f.jurisdiction });
  });
  r.put('/:jurisdiction/:formKey', async (req: AuthedRequest, res) => {
    res.status(201).json(await catalog.saveForm(user(req), req.params.jurisdiction as string, req.params.formKey as string, body(req)));
  });
  return r;
}
