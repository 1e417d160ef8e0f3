// What every router shares: problem+json in one place, body parsing limits, the session user,
// the locale, list paging, query parameters and the jurisdiction preamble.
import type { NextFunction, Request, RequestParamHandler, Response } from 'express';
import { DomainError, badRequest, unauthorized } from '../errors.js';
import type { SessionUser } from '../domain/access.js';
import type { Locale } from '../domain/forms.js';
import type { Jurisdictions } from '../domain/jurisdictions.js';

export interface AuthedRequest extends Request {
  user?: SessionUser;
}

export function user(req: AuthedRequest): SessionUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

export function locale(req: Request): Locale {
  const wanted = String(req.query.lang ?? req.headers['accept-language'] ?? 'zh');
  return wanted.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function paging(req: Request, max = 200): { limit: number; cursor: string | null } {
  const limitText = req.query.limit ?? '50';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badRequest(`limit 应为 1 到 ${max} 的整数`, [{ path: 'limit', message: `must be an integer from 1 to ${max}` }]);
  }
  return { limit, cursor: typeof req.query.cursor === 'string' ? req.query.cursor : null };
}

export function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`查询参数 ${name} 只能出现一次`, [{ path: name, message: 'must be a single value' }]);
  return v;
}

/** A query parameter restricted to a few values. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${name} 应为 ${allowed.join('|')}`, [{ path: name, message: `one of ${allowed.join(', ')}` }]);
  }
  return value as T | undefined;
}

/** For `router.param('jurisdiction', …)`: an unknown jurisdiction is 404 before anything else is looked at. */
/** The required `?jurisdiction=` of a list, known (404 otherwise). */
export function jurisdictionQuery(req: Request, jurisdictions: Jurisdictions): string {
  const id = query(req, 'jurisdiction');
  if (!id) throw badRequest('缺少 jurisdiction 参数', [{ path: 'jurisdiction', message: 'required' }]);
  jurisdictions.get(id);
  return id;
}

export function knownJurisdiction(jurisdictions: Jurisdictions): RequestParamHandler {
  return (_req, _res, next, id: string) => {
    jurisdictions.get(id);
    next();
  };
}

export function sendProblem(res: Response, status: number, title: string, detail: string, errors?: { path: string; message: string }[]) {
  res.status(status).type('application/problem+json').send(
    JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }),
  );
}

/** What body-parser and other middleware put on the errors they pass on. */
interface MiddlewareError {
  type?: string;
  limit?: number;
  status?: unknown;
  message?: string;
}

/** The one error middleware: domain errors, body-parser errors, anything else as 500 (logged). */
export function problemHandler(log: (err: unknown) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof DomainError) {
      if (err.retryAfter) res.set('Retry-After', String(err.retryAfter));
      return sendProblem(res, err.status, err.title, err.message, err.errors);
    }
    const e = (err ?? {}) as MiddlewareError;
    if (e.type === 'entity.too.large') return sendProblem(res, 413, 'Payload Too Large', `请求体超过 ${e.limit} 字节 (body too large)`);
    if (e.type === 'entity.parse.failed') return sendProblem(res, 400, 'Bad Request', `JSON 格式错误 (malformed JSON): ${e.message}`);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendProblem(res, 415, 'Unsupported Media Type', String(e.message));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendProblem(res, e.status, 'Bad Request', String(e.message));
    if (err instanceof TypeError && /cursor/.test(err.message)) return sendProblem(res, 400, 'Bad Request', err.message);
    log(err);
    sendProblem(res, 500, 'Internal Server Error', '服务器内部错误，已记录 (internal error, logged)');
  };
}

/** State changes only with a JSON body (or none): a cross-site HTML form cannot send one. */
export function requireJson(req: Request, _res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  // Uploads are multipart; the strict same-site session cookie keeps cross-site forms out here too.
  const upload = req.method === 'POST' && req.path === '/attachments' && req.is('multipart/form-data');
  if (hasBody && !upload && !req.is('application/json')) {
    return next(new DomainError(415, 'Unsupported Media Type', '请求体必须是 application/json (JSON bodies only)'));
  }
  next();
}

export function body(req: Request): Record<string, unknown> {
  const b = req.body;
  if (b === undefined) return {};
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw badRequest('请求体必须是 JSON 对象 (body must be a JSON object)');
  return b;
}
