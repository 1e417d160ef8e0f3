import { Router } from 'express';
import { body, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function signalsRouter({ signals }: Deps) {
  const r = Router();
  // What the broadcast woke and started here (on Zeebe, the broker wakes the waiting instances itself).
  r.post('/broadcast', async (req: AuthedRequest, res) => {
    res.json(await signals.byUser(user(req), body(req)));
  });
  return r;
}
