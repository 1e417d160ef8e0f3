// GET /api/ledger (API v1.1): the 台账 as JSON pages, or whole as .xlsx or CSV.
import { Router } from 'express';
import { badRequest } from '../errors.js';
import type { LedgerQuery } from '../domain/ledger.js';
import { writeCsv, writeXlsx } from '../domain/ledgerFiles.js';
import { paging, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

const FORMATS = ['json', 'xlsx', 'csv'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file name a download is saved under, e.g. 台账-township-triage-2026Q4.xlsx. */
const fileName = (q: LedgerQuery, ext: string) => `台账-${[q.jurisdiction, q.period ?? [q.from, q.to].filter(Boolean).join('至')].filter(Boolean).join('-')}.${ext}`;

export function ledgerRouter({ ledger }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    const u = user(req);
    const q: LedgerQuery = Object.fromEntries(
      (['jurisdiction', 'from', 'to', 'period', 'status', 'class', 'category', 'processKey', 'q'] as const).map((k) => [k, query(req, k)]),
    );
    const format = query(req, 'format') ?? 'json';
    if (!FORMATS.includes(format)) throw badRequest(`format 应为 ${FORMATS.join('|')}`, [{ path: 'format', message: `one of ${FORMATS.join(', ')}` }]);
    if (format === 'json') return void res.json(await ledger.page(u, q, paging(req, 1000)));
    ledger.scope(u, q); // refusals as problem+json before the file starts
    res.set({
      'Content-Type': format === 'xlsx' ? XLSX : 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="ledger.${format}"; filename*=UTF-8''${encodeURIComponent(fileName(q, format))}`,
      'Cache-Control': 'no-store',
    });
    if (format === 'xlsx') await writeXlsx(ledger.all(u, q), res);
    else await writeCsv(ledger.all(u, q), res);
  });
  return r;
}
