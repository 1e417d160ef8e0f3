import { Router } from 'express';
import { INSTANCE_STATUSES } from '../domain/runtime/instances.js';
import { body, oneOf, paging, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

export function instancesRouter({ instances, migrations }: Deps) {
  const r = Router();
  r.post('/', async (req: AuthedRequest, res) => {
    res.status(201).json(await instances.start(user(req), body(req)));
  });
  r.post('/migrate', async (req: AuthedRequest, res) => {
    const dryRun = oneOf(query(req, 'dryRun'), ['true', 'false'] as const, 'dryRun') === 'true';
    res.json(await migrations.migrate(user(req), body(req), dryRun));
  });
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(
      await instances.list(user(req), {
        ...paging(req),
        jurisdiction: query(req, 'jurisdiction'),
        processKey: query(req, 'processKey'),
        status: oneOf(query(req, 'status'), INSTANCE_STATUSES, 'status'),
        mine: oneOf(query(req, 'startedBy'), ['me'], 'startedBy') === 'me',
        copied: oneOf(query(req, 'copiedTo'), ['me'], 'copiedTo') === 'me',
        q: query(req, 'q') || undefined,
      }),
    );
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    res.json(await instances.get(user(req), req.params.id as string));
  });
  r.post('/:id/cancel', async (req: AuthedRequest, res) => {
    res.json(await instances.cancel(user(req), req.params.id as string));
  });
  r.post('/:id/retry', async (req: AuthedRequest, res) => {
    const { variables, retries, ref } = body(req);
    res.json(await instances.retry(user(req), req.params.id as string, variables, retries, ref));
  });
  return r;
}
