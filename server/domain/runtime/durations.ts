// How long a published message waits for its subscription.
import { badRequest } from '../../errors.js';

const DEFAULT_MESSAGE_TTL_MS = 60 * 60 * 1000;

/** ISO 8601 duration (PT1H) or milliseconds; absent: one hour. */
export function ttlMs(ttl: unknown): number {
  if (ttl === undefined || ttl === null) return DEFAULT_MESSAGE_TTL_MS;
  if (typeof ttl === 'number' && ttl >= 0 && Number.isFinite(ttl)) return ttl;
  const m = typeof ttl === 'string' ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(ttl) : null;
  if (!m || ttl === 'P' || ttl === 'PT') throw badRequest('ttl 应为毫秒数或 ISO 8601 时长 (ttl must be ms or an ISO duration)', [{ path: '/ttl', message: 'invalid' }]);
  return (((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}
