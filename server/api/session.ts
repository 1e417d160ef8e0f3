import { Router, type NextFunction, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { body, sendProblem, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export const SESSION_COOKIE = 'yishi_session';

/** Resolves the session cookie to req.user on every request. */
export function authenticate({ sessions }: Deps) {
  return async (req: AuthedRequest, _res: Response, next: NextFunction) => {
    try {
      req.user = (await sessions.resolve(req.signedCookies?.[SESSION_COOKIE] || undefined)) ?? undefined;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function sessionRouter({ sessions, config }: Deps) {
  const r = Router();
  // Failed sign-ins only, per address and username: slows guessing without locking anyone out.
  const limiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.body?.username ?? '')}`,
    handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', '登录失败次数过多，请 15 分钟后再试 (too many failed sign-ins)'),
  });
  r.post('/', limiter, async (req, res) => {
    const { username, password } = body(req);
    const s = await sessions.signIn(username, password);
    res.cookie(SESSION_COOKIE, s.token, {
      httpOnly: true, sameSite: 'strict', secure: config.production, signed: true, expires: s.expiresAt, path: '/',
    });
    res.json({ user: s.user });
  });
  r.get('/', (req: AuthedRequest, res) => {
    res.json({ user: user(req) });
  });
  r.delete('/', async (req: AuthedRequest, res) => {
    await sessions.signOut(req.signedCookies?.[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });
  return r;
}
