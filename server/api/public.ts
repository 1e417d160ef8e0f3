import { Router } from 'express';
import { paging, query } from './http.js';
import type { Deps } from './deps.js';

/** What anyone may read, signed in or not. */
export function publicRouter({ results }: Deps) {
  const r = Router();
  r.get('/results', async (req, res) => {
    res.json(await results.list(query(req, 'jurisdiction'), paging(req)));
  });
  return r;
}
