import { Router } from 'express';
import { paging, query } from './http.js';
import type { Services } from './services.js';

/** What anyone may read, signed in or not. */
export function publicRouter({ results }: Services) {
  const r = Router();
  r.get('/results', async (req, res) => {
    res.json(await results.list(query(req, 'jurisdiction'), paging(req)));
  });
  return r;
}
