import { Router } from 'express';
import { body, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function messagesRouter({ messages }: Deps) {
  const r = Router();
  // 200 when an instance took the message, 202 when it waits in the buffer (or in the engine's).
  r.post('/', async (req: AuthedRequest, res) => {
    const { kind, ...out } = await messages.publish(user(req), body(req));
    res.status(kind === 'correlated' ? 200 : 202).json(out);
  });
  return r;
}
