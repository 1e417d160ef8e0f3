// The signed-in user's inbox.
import { Router } from 'express';
import { oneOf, paging, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function notificationsRouter({ notifications }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    const unread = oneOf(query(req, 'unread'), ['true', 'false'] as const, 'unread') === 'true';
    res.json(await notifications.list(user(req), { ...paging(req), unread }));
  });
  r.post('/:id/read', async (req: AuthedRequest, res) => {
    res.json(await notifications.markRead(user(req), req.params.id as string));
  });
  return r;
}
