import { Router } from 'express';
import { TASK_STATUSES } from '../domain/runtime/tasks.js';
import { badRequest } from '../errors.js';
import { body, locale, oneOf, paging, query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

function assignee(req: AuthedRequest): 'me' | 'none' | undefined {
  const a = query(req, 'assignee');
  if (a !== undefined && a !== 'me' && a !== 'none') throw badRequest('assignee 应为 me 或 none', [{ path: 'assignee', message: 'me | none' }]);
  return a;
}

export function tasksRouter({ tasks, signing }: Deps) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    res.json(
      await tasks.list(user(req), {
        ...paging(req),
        jurisdiction: query(req, 'jurisdiction'),
        status: oneOf(query(req, 'status'), TASK_STATUSES, 'status'),
        assignee: assignee(req),
        candidateGroup: query(req, 'candidateGroup'),
        overdue: query(req, 'overdue') === 'true',
        instanceId: query(req, 'instanceId'),
        completedByMe: oneOf(query(req, 'completedBy'), ['me'], 'completedBy') === 'me',
        q: query(req, 'q') || undefined,
      }),
    );
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    res.json(await tasks.task(user(req), req.params.id as string, locale(req)));
  });
  r.post('/:id/claim', async (req: AuthedRequest, res) => {
    res.json(await tasks.claim(user(req), req.params.id as string, true));
  });
  r.post('/:id/unclaim', async (req: AuthedRequest, res) => {
    res.json(await tasks.claim(user(req), req.params.id as string, false));
  });
  r.post('/:id/complete', async (req: AuthedRequest, res) => {
    const b = body(req);
    // In a 加签 chain a completion is an approval in it; otherwise the usual completion.
    res.json(await signing.complete(user(req), req.params.id as string, b.data, locale(req), b.comment));
  });
  return r;
}
