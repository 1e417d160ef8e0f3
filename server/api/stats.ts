// GET /api/stats?jurisdiction=&period=2026Q4 (API v1.1).
import { Router } from 'express';
import { query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function statsRouter({ stats }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await stats.figures(user(req), query(req, 'jurisdiction'), query(req, 'period') || undefined, query(req, 'processKey') || undefined));
  });
  return r;
}
