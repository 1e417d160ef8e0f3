import { Router } from 'express';
import { body, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function usersRouter({ users }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(await users.list(user(req)));
  });
  r.get('/people', async (req: AuthedRequest, res) => {
    res.json(await users.people(user(req), { jurisdiction: query(req, 'jurisdiction'), group: query(req, 'group') || undefined, q: query(req, 'q') || undefined, below: query(req, 'below') === 'true' }));
  });
  r.post('/', async (req: AuthedRequest, res) => {
    res.status(201).json(await users.create(user(req), body(req)));
  });
  r.put('/:username', async (req: AuthedRequest, res) => {
    res.json(await users.update(user(req), req.params.username as string, body(req)));
  });
  r.delete('/:username', async (req: AuthedRequest, res) => {
    await users.remove(user(req), req.params.username as string);
    res.status(204).end();
  });
  return r;
}
