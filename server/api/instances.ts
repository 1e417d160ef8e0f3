import { Router } from 'express';
import { badRequest, forbidden } from '../errors.js';
import type { InstanceStatus, TaskStatus } from '../store/index.js';
import { body, locale, paging, query, user, type AuthedRequest } from './http.js';
import type { Services } from './services.js';
import { withCase } from './cases.js';

const INSTANCE_STATUSES = ['active', 'completed', 'cancelled', 'incident'];
const TASK_STATUSES = ['open', 'completed', 'cancelled'];

function oneOf<T extends string>(value: string | undefined, allowed: string[], name: string): T | undefined {
  if (value !== undefined && !allowed.includes(value)) throw badRequest(`${name} 应为 ${allowed.join('|')}`, [{ path: name, message: `one of ${allowed.join(', ')}` }]);
  return value as T | undefined;
}

/** The jurisdictions a list covers: the asked one and its descendants, within what the user sees. */
function scope({ access, jurisdictions }: Services, req: AuthedRequest): string[] {
  const u = user(req);
  const visible = access.visible(u);
  const asked = query(req, 'jurisdiction');
  if (!asked) return visible;
  jurisdictions.get(asked);
  const within = jurisdictions.descendants(asked);
  if (!access.rolesIn(u, asked).size) throw forbidden(`您不是 ${asked} 的成员 (not a member)`);
  return within;
}

export function instancesRouter(services: Services) {
  const { runtime, store } = services;
  const r = Router();
  r.post('/', async (req: AuthedRequest, res) => {
    res.status(201).json(await runtime.start(user(req), body(req)));
  });
  r.get('/', async (req: AuthedRequest, res) => {
    const jurisdictions = scope(services, req);
    const page = await store.instances.list({
      ...paging(req),
      jurisdictions,
      processKey: query(req, 'processKey'),
      status: oneOf<InstanceStatus>(query(req, 'status'), INSTANCE_STATUSES, 'status'),
      q: query(req, 'q') || undefined,
    });
    res.json({
      items: page.items.map(({ engineState: _s, revision: _r, incident, ...i }) => ({ ...i, title: i.summary?.title ?? null, incident: incident && { elementId: incident.elementId, message: incident.message, at: incident.at } })),
      nextCursor: page.nextCursor,
    });
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    res.json(await runtime.get(user(req), req.params.id as string));
  });
  r.post('/:id/cancel', async (req: AuthedRequest, res) => {
    res.json(await runtime.cancel(user(req), req.params.id as string));
  });
  r.post('/:id/retry', async (req: AuthedRequest, res) => {
    res.json(await runtime.retry(user(req), req.params.id as string, body(req).variables));
  });
  return r;
}

export function messagesRouter({ runtime }: Services) {
  const r = Router();
  r.post('/', async (req: AuthedRequest, res) => {
    const out = await runtime.publishMessage(user(req), body(req));
    res.status(out.status).json(out.body);
  });
  return r;
}

export function tasksRouter(services: Services) {
  const { runtime, store } = services;
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    const u = user(req);
    const jurisdictions = scope(services, req);
    const assignee = query(req, 'assignee');
    if (assignee !== undefined && assignee !== 'me' && assignee !== 'none') throw badRequest('assignee 应为 me 或 none', [{ path: 'assignee', message: 'me | none' }]);
    const overdue = query(req, 'overdue');
    const group = query(req, 'candidateGroup');
    const page = await store.tasks.list({
      ...paging(req),
      jurisdictions,
      status: oneOf<TaskStatus>(query(req, 'status'), TASK_STATUSES, 'status'),
      assignee: assignee === 'me' ? u.username : assignee === 'none' ? null : undefined,
      candidateGroups: group ? [group] : undefined,
      overdueAt: overdue === 'true' ? new Date().toISOString() : undefined,
      instanceId: query(req, 'instanceId'),
      q: query(req, 'q') || undefined,
    });
    res.json({ items: await withCase(store, page.items), nextCursor: page.nextCursor });
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    const [task] = await withCase(store, [await runtime.task(user(req), req.params.id as string, locale(req))]);
    res.json(task);
  });
  r.post('/:id/claim', async (req: AuthedRequest, res) => {
    res.json(await runtime.claim(user(req), req.params.id as string, true));
  });
  r.post('/:id/unclaim', async (req: AuthedRequest, res) => {
    res.json(await runtime.claim(user(req), req.params.id as string, false));
  });
  r.post('/:id/complete', async (req: AuthedRequest, res) => {
    res.json(await runtime.complete(user(req), req.params.id as string, body(req).data, locale(req)));
  });
  return r;
}

export function publicRouter({ store, jurisdictions }: Services) {
  const r = Router();
  r.get('/results', async (req, res) => {
    const asked = query(req, 'jurisdiction');
    const ids = asked ? (jurisdictions.get(asked), jurisdictions.descendants(asked)) : jurisdictions.list().map((j) => j.id);
    res.json(await store.results.list(ids, paging(req)));
  });
  return r;
}

export function auditRouter({ store, access, jurisdictions }: Services) {
  const r = Router();
  r.get('/', async (req: AuthedRequest, res) => {
    const u = user(req);
    const instanceId = query(req, 'instanceId');
    const asked = query(req, 'jurisdiction');
    let ids: string[];
    if (instanceId) {
      const inst = await store.instances.get(instanceId);
      if (!inst) throw badRequest('未知流程实例', [{ path: 'instanceId', message: 'unknown instance' }]);
      access.require(u, inst.jurisdiction, ['admin', 'official']);
      ids = [inst.jurisdiction];
    } else if (asked) {
      jurisdictions.get(asked);
      access.require(u, asked, ['admin', 'official']);
      ids = jurisdictions.descendants(asked);
    } else {
      ids = access.visible(u, ['admin', 'official']);
      if (!ids.length) throw forbidden('需要管理员或干部角色 (admin or official only)');
    }
    res.json(await store.audit.list({ ...paging(req), instanceId, jurisdictions: ids }));
  });
  return r;
}
