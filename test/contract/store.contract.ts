// The Store port's contract: every adapter runs this suite (the factory is passed in).
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, SIGNAL_KEY, type AttachmentUpload, type InstanceRecord, type NotificationWrite, type StepChange, type Store, type TaskRecord } from '../../server/store/index.js';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const audit = { at: at(0), actor: 't', action: 'test', jurisdiction: 'j1', targetType: 'x', targetId: 'y' };

const instance = (id: string, revision = 0): InstanceRecord => ({
  id, jurisdiction: 'j1', processKey: 'p', version: 1, definedAt: 'j1', status: 'active', startedAt: at(1), startedBy: 'u',
  endedAt: null, variables: { $where: 'kept as data', a: 1 }, params: {}, active: [], incident: null, engineState: { s: 1 }, revision,
});
const task = (id: string, instanceId: string, n: number, extra: Partial<TaskRecord> = {}): TaskRecord => ({
  id, instanceId, ref: `ref-${id}`, elementId: 'e', name: '任务', jurisdiction: 'j1', processKey: 'p', formKey: null,
  candidateGroups: ['staff'], assignee: null, status: 'open', data: null, createdAt: at(n), due: null, completedAt: null, completedBy: null, version: 1, ...extra,
});
const step = (i: InstanceRecord, expectedRevision: number | null, extra: Partial<StepChange> = {}): StepChange => ({
  instance: i, expectedRevision, createTasks: [], cancelTaskRefs: [], history: [], timers: [], subscriptions: [], consumeMessageIds: [], results: [], audit: [], ...extra,
});

/** Bytes offered in chunks, hashed and counted as they are read. */
const upload = (chunks: Buffer[], failAfter?: number): AttachmentUpload => {
  const hash = crypto.createHash('sha256');
  let size = 0;
  return {
    chunks: (async function* () {
      for (const [n, c] of chunks.entries()) {
        if (n === failAfter) throw new Error('client went away');
        hash.update(c);
        size += c.length;
        yield c;
      }
    })(),
    summary: () => ({ size, sha256: hash.digest('hex') }),
  };
};

const notice = (id: string, n: number, audience: string[], channels = 0): NotificationWrite => ({
  notification: { id, at: at(n), kind: 'notice', title: `通知${n}`, body: '正文', jurisdiction: 'j1', instanceId: null, taskId: null, audience },
  deliveries: Array.from({ length: channels }, (_, k) => ({
    id: `${id}:${k}`, notificationId: id, channel: { type: 'email', to: 'a@example.org' }, status: 'pending' as const, attempts: 0,
    nextAt: at(n), claimedUntil: null, lastError: null, sentAt: null,
  })),
});

export function storeContract(name: string, make: () => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    // CI's log says how many contract tests ran against each adapter.
    afterAll((suite) => console.log(`store contract ${name}: ${suite.tasks.filter((t) => t.result?.state === 'pass').length}/${suite.tasks.length} passed`));
    const seed = async (s: Store) =>
      s.importRuleSet({ jurisdiction: { id: 'j1', name: '一', parent: null, parameters: { x: 1 }, vocabulary: {} }, definitions: [], forms: [], audit: [audit] });

    it('versions definitions and refuses a stale expected version', async () => {
      const s = await make();
      await seed(s);
      const def = { jurisdiction: 'j1', key: 'p', version: 1, name: 'P', xml: '<x/>', createdAt: at(1), createdBy: 'u' };
      await s.definitions.create(def, 0, audit);
      await expect(s.definitions.create({ ...def, version: 2 }, 0, audit)).rejects.toBeInstanceOf(ConflictError);
      await s.definitions.create({ ...def, version: 2, xml: '<y/>' }, 1, audit);
      expect((await s.definitions.latest('j1', 'p'))!.xml).toBe('<y/>');
      expect((await s.definitions.versions('j1', 'p')).map((v) => v.version)).toEqual([1, 2]);
      expect((await s.definitions.listLatest('j1')).map((d) => d.version)).toEqual([2]);
      await s.close();
    });

    it('versions DMN documents beside the definitions, stores them with a rule set and dumps them', async () => {
      const s = await make();
      const doc = { jurisdiction: 'j1', key: 'drg', version: 1, name: '分类', xml: '<definitions/>', createdAt: at(1), createdBy: 'u' };
      await s.importRuleSet({ jurisdiction: { id: 'j1', name: '一', parent: null, parameters: {}, vocabulary: {} }, definitions: [], forms: [], decisions: [doc], audit: [audit] });
      await expect(s.decisions.create({ ...doc, version: 2 }, 0, audit)).rejects.toBeInstanceOf(ConflictError);
      await s.decisions.create({ ...doc, version: 2, xml: '<definitions id="2"/>' }, 1, audit);
      expect((await s.decisions.latest('j1', 'drg'))!.xml).toBe('<definitions id="2"/>');
      expect((await s.decisions.get('j1', 'drg', 1))!.xml).toBe('<definitions/>');
      expect((await s.decisions.listLatest('j1')).map((d) => [d.key, d.version])).toEqual([['drg', 2]]);
      expect(await s.definitions.latest('j1', 'drg')).toBeNull();
      for await (const item of s.dump()) {
        if ('ruleSet' in item) expect(item.ruleSet.decisions!.map((d) => d.version)).toEqual([1, 2]);
      }
      await s.close();
    });

    it('stores the processes of one file together: a stale guard on any writes none of them', async () => {
      const s = await make();
      await seed(s);
      const def = (key: string, version: number) => ({ item: { jurisdiction: 'j1', key, version, name: key, xml: '<x/>', createdAt: at(1), createdBy: 'u' }, expectedLatest: version - 1, audit });
      await s.definitions.createAll([def('main', 1), def('child', 1)]);
      await s.definitions.create(def('child', 2).item, 1, audit);
      await expect(s.definitions.createAll([def('main', 2), def('child', 2)])).rejects.toBeInstanceOf(ConflictError);
      expect((await s.definitions.versions('j1', 'main')).map((v) => v.version)).toEqual([1]);
      await s.definitions.createAll([def('main', 2), def('child', 3)]);
      expect((await s.definitions.listLatest('j1')).map((d) => `${d.key}@${d.version}`)).toEqual(['child@3', 'main@2']);
      await s.close();
    });

    it('records a case note in order between steps, hands its task over only at the expected version, and finds copies', async () => {
      const s = await make();
      await seed(s);
      const i = instance('n1');
      await s.instances.applyStep(step(i, null, { createTasks: [task('nt1', 'n1', 1)], history: [{ instanceId: 'n1', elementId: 'e', name: 'n', type: 'StartEvent', at: at(1), by: null, data: null }] }));
      const entry = (type: string, data: Record<string, unknown>) => ({ instanceId: 'n1', elementId: 'e', name: '任务', type, at: at(2), by: 'u', data });
      await s.instances.note({ instanceId: 'n1', history: [entry('Transfer', { to: 'v' })], audit, assign: { taskId: 'nt1', expectedVersion: 1, assignee: 'v', data: { draft: true } } });
      expect(await s.tasks.get('nt1')).toMatchObject({ assignee: 'v', version: 2, data: { draft: true }, status: 'open' });
      // A stale version: nothing of the note is written.
      await expect(s.instances.note({ instanceId: 'n1', history: [entry('Transfer', { to: 'w' })], audit, assign: { taskId: 'nt1', expectedVersion: 1, assignee: 'w' } })).rejects.toBeInstanceOf(ConflictError);
      await s.instances.note({ instanceId: 'n1', history: [entry('CarbonCopy', { readers: ['user:r', 'group:township@j1'] })], audit });
      await s.instances.applyStep(step({ ...i, revision: 1 }, 0, { history: [{ instanceId: 'n1', elementId: 'x', name: 'x', type: 'EndEvent', at: at(3), by: null, data: null }] }));
      expect((await s.instances.history('n1')).map((h) => h.type)).toEqual(['StartEvent', 'Transfer', 'CarbonCopy', 'EndEvent']);
      expect((await s.tasks.get('nt1'))!.assignee).toBe('v');
      expect((await s.instances.list({ limit: 10, readers: ['group:township@j1'] })).items.map((x) => x.id)).toEqual(['n1']);
      expect((await s.instances.list({ limit: 10, readers: ['user:someone-else'] })).items).toEqual([]);
      expect((await s.instances.list({ limit: 10, startedBy: 'u' })).items.map((x) => x.id)).toEqual(['n1']);
      expect((await s.instances.list({ limit: 10, startedBy: 'v' })).items).toEqual([]);
      await s.close();
    });

    it('lists an open task among the tasks of its pending 加签 signers until a note takes them off', async () => {
      const s = await make();
      await seed(s);
      await s.instances.applyStep(step(instance('g1'), null, { createTasks: [task('gt1', 'g1', 1, { assignee: 'owner' }), task('gt2', 'g1', 2, { assignee: 'b' })] }));
      const mine = async (u: string) => (await s.tasks.list({ limit: 10, status: 'open', assignee: u })).items.map((t) => t.id);
      const sign = (expectedVersion: number, signers: string[]) =>
        s.instances.note({ instanceId: 'g1', history: [], audit, assign: { taskId: 'gt1', expectedVersion, assignee: 'owner', signers } });
      await sign(1, ['a', 'b']);
      expect((await s.tasks.get('gt1'))!.signers).toEqual(['a', 'b']);
      expect(await mine('a')).toEqual(['gt1']);
      expect(await mine('b')).toEqual(['gt2', 'gt1']);
      // Paged one by one, newest first, each once.
      const first = await s.tasks.list({ limit: 1, status: 'open', assignee: 'b' });
      const second = await s.tasks.list({ limit: 1, status: 'open', assignee: 'b', cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((t) => t.id)).toEqual(['gt2', 'gt1']);
      expect(second.nextCursor).toBeNull();
      expect(await mine('owner')).toEqual(['gt1']);
      // A stale version changes no signer.
      await expect(sign(1, ['c'])).rejects.toBeInstanceOf(ConflictError);
      expect(await mine('c')).toEqual([]);
      // A note without signers leaves them; one with fewer takes the others off.
      await s.instances.note({ instanceId: 'g1', history: [], audit, assign: { taskId: 'gt1', expectedVersion: 2, assignee: 'owner' } });
      expect(await mine('a')).toEqual(['gt1']);
      await sign(3, ['b']);
      expect((await s.tasks.get('gt1'))!.signers).toEqual(['b']);
      expect(await mine('a')).toEqual([]);
      expect(await mine('b')).toEqual(['gt2', 'gt1']);
      // Closed tasks are no signer's any more, while the assignee's 已办-style lists keep theirs.
      await s.instances.applyStep(step({ ...instance('g1'), revision: 1 }, 0, { completeTask: { id: 'gt1', expectedVersion: 4, data: {}, by: 'owner', at: at(5) } }));
      expect(await mine('b')).toEqual(['gt2']);
      expect((await s.tasks.list({ limit: 10, assignee: 'b' })).items.map((t) => t.id)).toEqual(['gt2']);
      expect((await s.tasks.list({ limit: 10, assignee: 'owner' })).items.map((t) => t.id)).toEqual(['gt1']);
      // A task written with signers (copied from another store) is in their 待办; none: no field.
      await s.instances.applyStep(step(instance('g2'), null, { createTasks: [task('gt3', 'g2', 3, { assignee: 'owner', signers: ['z'] }), task('gt4', 'g2', 4)] }));
      expect(await mine('z')).toEqual(['gt3']);
      expect((await s.tasks.get('gt3'))!.signers).toEqual(['z']);
      await s.instances.note({ instanceId: 'g2', history: [], audit, assign: { taskId: 'gt3', expectedVersion: 1, assignee: 'owner', signers: [] } });
      expect(await mine('z')).toEqual([]);
      expect(await s.tasks.get('gt3')).not.toHaveProperty('signers');
      expect(await s.tasks.get('gt4')).not.toHaveProperty('signers');
      await s.close();
    });

    it('versions a jurisdiction: a guarded rule-set write over a stale version writes nothing', async () => {
      const s = await make();
      const j = { id: 'j1', name: '一', parent: null, parameters: { x: 1 }, vocabulary: {} };
      const form = { jurisdiction: 'j1', formKey: 'f', version: 1, doc: { schema: {} }, createdAt: at(1), createdBy: 'u' };
      await s.importRuleSet({ jurisdiction: { ...j, version: 1 }, expectedVersion: 0, definitions: [], forms: [], audit: [audit] });
      await expect(s.importRuleSet({ jurisdiction: { ...j, version: 1 }, expectedVersion: 0, definitions: [], forms: [], audit: [] })).rejects.toBeInstanceOf(ConflictError);
      await s.importRuleSet({ jurisdiction: { ...j, parameters: { x: 2 }, version: 2 }, expectedVersion: 1, definitions: [], forms: [], audit: [audit] });
      await expect(
        s.importRuleSet({ jurisdiction: { ...j, parameters: { x: 3 }, version: 2 }, expectedVersion: 1, definitions: [], forms: [form], audit: [audit] }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await s.jurisdictions.get('j1')).toMatchObject({ version: 2, parameters: { x: 2 } });
      expect(await s.forms.latest('j1', 'f')).toBeNull();
      await s.close();
    });

    it('applies a step atomically: a failed guard writes nothing', async () => {
      const s = await make();
      await seed(s);
      const i = instance('i1');
      await s.instances.applyStep(step(i, null, { createTasks: [task('t1', 'i1', 1)], timers: [{ instanceId: 'i1', ref: 'tm', elementId: 'b', dueAt: at(5) }] }));
      const done = { id: 't1', expectedVersion: 1, data: { ok: true }, by: 'u', at: at(2) };
      await s.instances.applyStep(step({ ...i, revision: 1, variables: { b: 2 } }, 0, { completeTask: done, history: [{ instanceId: 'i1', elementId: 'e', name: 'n', type: 'UserTask', at: at(2), by: 'u', data: null }] }));
      // the same completion again: task no longer open → nothing of this step is written
      await expect(
        s.instances.applyStep(step({ ...i, revision: 2, variables: { c: 3 } }, 1, { completeTask: done, createTasks: [task('t2', 'i1', 3)], history: [{ instanceId: 'i1', elementId: 'x', name: 'x', type: 'T', at: at(3), by: null, data: null }] })),
      ).rejects.toBeInstanceOf(ConflictError);
      const after = (await s.instances.get('i1'))!;
      expect(after.revision).toBe(1);
      expect(after.variables).toEqual({ b: 2 });
      expect(await s.tasks.get('t2')).toBeNull();
      expect((await s.instances.history('i1')).map((h) => h.elementId)).toEqual(['e']);
      expect((await s.tasks.get('t1'))!).toMatchObject({ status: 'completed', data: { ok: true }, completedBy: 'u', version: 2 });
      // a stale revision is refused too
      await expect(s.instances.applyStep(step({ ...i, revision: 9 }, 0))).rejects.toBeInstanceOf(ConflictError);
      await s.close();
    });

    it('applies concurrent steps independently: a rejected one writes nothing, the others all land', async () => {
      const s = await make();
      await seed(s);
      const ids = ['c1', 'c2', 'c3', 'c4'];
      await Promise.all(ids.map((id) => s.instances.applyStep(step(instance(id), null, { createTasks: [task(`${id}-t`, id, 1)] }))));
      // Issued together, as concurrent requests are: c2 carries a stale revision, c3 completes its task at a stale version.
      const outcomes = await Promise.allSettled(
        ids.map((id) =>
          s.instances.applyStep(
            step({ ...instance(id), revision: 1, variables: { done: id } }, id === 'c2' ? 7 : 0, {
              createTasks: [task(`${id}-next`, id, 2)],
              ...(id === 'c3' ? { completeTask: { id: 'c3-t', expectedVersion: 5, data: {}, by: 'u', at: at(2) } } : {}),
              history: [{ instanceId: id, elementId: 'e', name: 'n', type: 'UserTask', at: at(2), by: 'u', data: null }],
            }),
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      for (const id of ids) {
        const landed = id === 'c1' || id === 'c4';
        expect((await s.instances.get(id))!.revision).toBe(landed ? 1 : 0);
        expect((await s.instances.history(id)).length).toBe(landed ? 1 : 0);
      }
      expect(await s.tasks.get('c2-next')).toBeNull();
      expect(await s.tasks.get('c3-next')).toBeNull();
      expect((await s.tasks.get('c3-t'))!.status).toBe('open');
      expect((await s.tasks.get('c4-next'))!.instanceId).toBe('c4');
      await s.close();
    });

    it('links a child instance to its parent and lists the children', async () => {
      const s = await make();
      await seed(s);
      const parent = instance('p1');
      const child = { ...instance('c1'), parentId: 'p1', parentRef: '7' };
      await s.instances.applyStep(step(parent, null));
      await s.instances.applyStep(step(child, null));
      await s.instances.applyStep(step({ ...instance('other'), parentId: 'p2', parentRef: '1' }, null));
      expect(await s.instances.get('c1')).toMatchObject(child);
      expect(await s.instances.get('p1')).not.toHaveProperty('parentId');
      expect((await s.instances.list({ parentId: 'p1', limit: 10 })).items.map((i) => [i.id, i.parentRef])).toEqual([['c1', '7']]);
      expect((await s.instances.list({ parentId: 'c1', limit: 10 })).items).toEqual([]);
    });

    it('gives a lease to one holder at a time among racing takers, and to one of them once it lapsed', async () => {
      const s = await make();
      const take = (owner: string, now: number, until: number) => s.leases.acquire('tick', owner, at(now), at(until));
      const won = await Promise.all(Array.from({ length: 12 }, (_, k) => take(`o${k}`, 1, 10)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const holder = `o${won.indexOf(true)}`;
      await s.leases.release('tick', 'someone-else');
      expect(await take('late', 5, 20)).toBe(false);
      // Lapsed (its holder crashed): exactly one of the racing takers gets it.
      const retaken = await Promise.all(Array.from({ length: 12 }, (_, k) => take(`n${k}`, 11, 30)));
      expect(retaken.filter(Boolean)).toHaveLength(1);
      await s.leases.release('tick', holder);
      expect(await take('late', 12, 40)).toBe(false);
      await s.leases.release('tick', `n${retaken.indexOf(true)}`);
      expect(await take('late', 12, 40)).toBe(true);
    });

    it('moves a timer start schedule on by compare-and-set: one writer wins each firing', async () => {
      const s = await make();
      await seed(s);
      const first = { jurisdiction: 'j1', processKey: 'p', definition: 'j1/p/1', dueAt: at(10), repeat: { left: -1, every: 'PT1S' } };
      expect(await s.startSchedules.swap(null, first)).toBe(true);
      expect(await s.startSchedules.swap(null, { ...first, dueAt: at(99) })).toBe(false);
      const next = { ...first, dueAt: at(11) };
      const racing = await Promise.all([s.startSchedules.swap(first, next), s.startSchedules.swap(first, { ...next, dueAt: at(12) })]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      const [stored] = await s.startSchedules.list();
      expect(stored).toEqual(racing[0] ? next : { ...next, dueAt: at(12) });
      // A redeploy replaces it; a spent cycle keeps its row with no due time.
      const redeployed = { ...first, definition: 'j1/p/2', dueAt: null, repeat: null };
      expect(await s.startSchedules.swap(first, redeployed)).toBe(false);
      expect(await s.startSchedules.swap(stored!, redeployed)).toBe(true);
      expect(await s.startSchedules.list()).toEqual([redeployed]);
      expect(await s.startSchedules.swap(redeployed, { ...redeployed, dueAt: at(20) })).toBe(true);
    });

    it('lets a step move an instance onto another definition version (a migration)', async () => {
      const s = await make();
      await seed(s);
      const i = instance('i-moved');
      await s.instances.applyStep(step(i, null));
      await s.instances.applyStep(step({ ...i, version: 3, definedAt: 'j0', revision: 1 }, 0));
      expect(await s.instances.get('i-moved')).toMatchObject({ version: 3, definedAt: 'j0', revision: 1 });
      await s.close();
    });

    it('stores $-keys in variables as data and pages task lists by filters', async () => {
      const s = await make();
      await seed(s);
      await s.instances.applyStep(step(instance('i2'), null, {
        createTasks: Array.from({ length: 5 }, (_, n) => task(`q${n}`, 'i2', n, { candidateGroups: n % 2 ? ['council'] : ['staff'], due: n < 2 ? at(0) : null })),
      }));
      expect((await s.instances.get('i2'))!.variables.$where).toBe('kept as data');
      const first = await s.tasks.list({ jurisdictions: ['j1'], status: 'open', limit: 2 });
      expect(first.items.map((t) => t.id)).toEqual(['q4', 'q3']);
      const second = await s.tasks.list({ jurisdictions: ['j1'], status: 'open', limit: 2, cursor: first.nextCursor });
      expect(second.items.map((t) => t.id)).toEqual(['q2', 'q1']);
      const last = await s.tasks.list({ jurisdictions: ['j1'], status: 'open', limit: 2, cursor: second.nextCursor });
      expect(last).toEqual({ items: [expect.objectContaining({ id: 'q0' })], nextCursor: null });
      expect((await s.tasks.list({ candidateGroups: ['council'], limit: 10 })).items.map((t) => t.id)).toEqual(['q3', 'q1']);
      // Overdue lists run most overdue first; equal due dates by id.
      const overdue = await s.tasks.list({ overdueAt: at(1), limit: 1 });
      expect(overdue.items.map((t) => t.id)).toEqual(['q0']);
      expect((await s.tasks.list({ overdueAt: at(1), limit: 1, cursor: overdue.nextCursor })).items.map((t) => t.id)).toEqual(['q1']);
      await s.tasks.assign('q0', 1, 'me', audit);
      await expect(s.tasks.assign('q0', 1, 'other', audit)).rejects.toBeInstanceOf(ConflictError);
      expect((await s.tasks.list({ assignee: 'me', limit: 10 })).items.map((t) => t.id)).toEqual(['q0']);
      expect((await s.tasks.list({ jurisdictions: ['elsewhere'], limit: 10 })).items).toEqual([]);
      await s.close();
    });

    it('keeps a task’s own variables (a multi-instance element) with it, and none when it has none', async () => {
      const s = await make();
      await seed(s);
      await s.instances.applyStep(step(instance('i3'), null, { createTasks: [task('m1', 'i3', 1, { locals: { village: '甲村', $where: 1 } }), task('m2', 'i3', 2)] }));
      expect((await s.tasks.get('m1'))!.locals).toEqual({ village: '甲村', $where: 1 });
      expect((await s.tasks.get('m2'))!.locals).toBeUndefined();
      await s.close();
    });

    it('buffers messages until they expire, and finds due timers in order', async () => {
      const s = await make();
      await seed(s);
      const future = new Date(Date.now() + 60_000).toISOString();
      await s.messages.buffer({ id: 'm1', name: 'reply', correlationKey: 'k', variables: { v: 1 }, expiresAt: future });
      await s.messages.buffer({ id: 'm0', name: 'reply', correlationKey: 'k', variables: { v: 0 }, expiresAt: at(0) });
      expect((await s.messages.matching([{ messageName: 'reply', correlationKey: 'k' }], new Date().toISOString())).map((m) => m.id)).toEqual(['m1']);
      await s.instances.applyStep(step(instance('i3'), null, {
        timers: [{ instanceId: 'i3', ref: 'late', elementId: 'b', dueAt: at(9) }, { instanceId: 'i3', ref: 'soon', elementId: 'b', dueAt: at(3) }],
        subscriptions: [
          { instanceId: 'i3', ref: 'w', elementId: 'w', messageName: 'reply', correlationKey: 'k' },
          { instanceId: 'i3', ref: 's1', elementId: 's1', messageName: '开会', correlationKey: SIGNAL_KEY },
          { instanceId: 'i3', ref: 's2', elementId: 's2', messageName: '开会', correlationKey: SIGNAL_KEY },
        ],
        consumeMessageIds: ['m1'],
      }));
      // Every wait for a signal, and only those: a message of the name is no signal.
      expect((await s.messages.signalSubscriptions('开会')).map((x) => x.ref).sort()).toEqual(['s1', 's2']);
      expect(await s.messages.signalSubscriptions('reply')).toEqual([]);
      expect((await s.timers.due(at(5), 10)).map((t) => t.ref)).toEqual(['soon']);
      expect((await s.timers.due(at(10), 10)).map((t) => t.ref)).toEqual(['soon', 'late']);
      expect(await s.messages.findSubscription('reply', 'k')).toMatchObject({ instanceId: 'i3', ref: 'w' });
      expect(await s.messages.matching([{ messageName: 'reply', correlationKey: 'k' }], new Date().toISOString())).toEqual([]);
      await s.close();
    });

    it('keeps jobs with their steps, hands each to one worker until its deadline, and guards every change of state', async () => {
      const s = await make();
      await seed(s);
      const job = (ref: string, type = 'sms') => ({
        instanceId: 'jb1', ref, elementId: `e-${ref}`, jurisdiction: 'j1', processKey: 'p', version: 1, type, retries: 3,
        headers: { h: 'v' }, locals: ref === 'r2' ? { item: 2 } : null, createdAt: at(1),
      });
      const i = instance('jb1');
      await s.instances.applyStep(step(i, null, { jobs: [job('r1'), job('r2'), job('r3', 'gis')] }));
      const q = { type: 'sms', jurisdictions: ['j1'], worker: 'w', now: at(2), deadline: at(10), max: 10 };
      // Another jurisdiction's worker sees none (and records nothing); then one activation takes both, with its audit entry, the next none.
      const audit = (jobs: { ref: string }[]) => [{ at: at(2), actor: 'w', action: 'job.activate', jurisdiction: 'j1', targetType: 'jobType', targetId: 'sms', instanceId: 'jb1', detail: { refs: jobs.map((j) => j.ref) } }];
      expect(await s.jobs.activate({ ...q, jurisdictions: ['j2'] }, audit)).toEqual([]);
      const taken = await s.jobs.activate(q, audit);
      expect((await s.audit.list({ instanceId: 'jb1', limit: 10 })).items.filter((e) => e.action === 'job.activate').map((e) => e.detail)).toEqual([{ refs: ['r1', 'r2'] }]);
      expect(taken.map((j) => [j.ref, j.state, j.worker, j.deadline, j.retries, j.headers, j.locals])).toEqual([
        ['r1', 'activated', 'w', at(10), 3, { h: 'v' }, null],
        ['r2', 'activated', 'w', at(10), 3, { h: 'v' }, { item: 2 }],
      ]);
      expect(Number(taken[1]!.key)).toBeGreaterThan(Number(taken[0]!.key));
      expect(await s.jobs.activate({ ...q, now: at(9) })).toEqual([]);
      // Past its deadline a job is activatable again (time-out).
      expect((await s.jobs.activate({ ...q, now: at(11), deadline: at(20), max: 1 })).map((j) => j.ref)).toEqual(['r1']);
      const [r1, r2] = [taken[0]!.key, taken[1]!.key];
      // A failure with back-off: not activatable before retryAt, and not failable twice meanwhile.
      expect(await s.jobs.change({ key: r1, from: 'open', now: at(12), set: { state: 'failed', retries: 2, errorMessage: 'x', retryAt: at(15) } })).toBe(true);
      expect(await s.jobs.change({ key: r1, from: 'open', now: at(13), set: { state: 'failed', retries: 1, errorMessage: 'y', retryAt: at(15) } })).toBe(false);
      expect((await s.jobs.activate({ ...q, now: at(14), deadline: at(30) })).map((j) => j.ref)).toEqual(['r2']);
      const again = await s.jobs.activate({ ...q, now: at(15), deadline: at(40), max: 1 });
      expect(again.map((j) => [j.key, j.retries])).toEqual([[r1, 2]]);
      // Out of retries with a step (an incident): stuck until a retry's guarded change.
      await s.instances.applyStep(step({ ...i, revision: 1, status: 'incident' }, 0, { jobChange: { key: r1, from: 'open', now: at(16), set: { state: 'failed', retries: 0, errorMessage: 'z' } } }));
      expect(await s.jobs.get(r1)).toMatchObject({ state: 'failed', retries: 0, errorMessage: 'z', worker: null });
      await expect(s.instances.applyStep(step({ ...i, revision: 2 }, 1, { jobChange: { key: r1, from: 'open', now: at(17), set: { state: 'activatable' } } }))).rejects.toBeInstanceOf(ConflictError);
      expect((await s.instances.get('jb1'))!.revision).toBe(1);
      await s.instances.applyStep(step({ ...i, revision: 2 }, 1, { jobChange: { key: r1, from: 'stuck', now: at(17), set: { state: 'activatable', retries: 1 } } }));
      expect(await s.jobs.get(r1)).toMatchObject({ state: 'activatable', retries: 1 });
      // A step that no longer waits on r2 ends its job; r1 keeps its key and state, its locals refreshed.
      await s.instances.applyStep(step({ ...i, revision: 3 }, 2, { jobs: [{ ...job('r1'), locals: { fresh: true }, elementId: 'migrated', version: 2 }, job('r3', 'gis')] }));
      expect(await s.jobs.get(r2)).toBeNull();
      expect(await s.jobs.get(r1)).toMatchObject({ key: r1, state: 'activatable', retries: 1, locals: { fresh: true }, elementId: 'migrated', version: 2 });
      expect(await s.jobs.get('no-such-key')).toBeNull();
      // New retries on an open job; a new deadline only while it is activated.
      expect(await s.jobs.update(r1, at(18), { deadline: at(50) })).toBe(false);
      expect(await s.jobs.update(r1, at(18), { retries: 4 })).toBe(true);
      const [held] = await s.jobs.activate({ ...q, now: at(19), deadline: at(25), max: 5 }).then((l) => l.filter((j) => j.key === r1));
      expect(held).toMatchObject({ retries: 4, deadline: at(25) });
      expect(await s.jobs.update(r1, at(20), { deadline: at(60) })).toBe(true);
      expect((await s.jobs.get(r1))!.deadline).toBe(at(60));
      await s.close();
    });

    it('keeps service tokens by hash, revokes each once, and audits both', async () => {
      const s = await make();
      const t = { id: 'st1', name: '地块', tokenHash: 'ab'.repeat(32), jurisdictions: ['j1'], createdAt: at(1), createdBy: 'a', revokedAt: null };
      await s.serviceTokens.create(t, { ...audit, action: 'serviceToken.issue' });
      expect(await s.serviceTokens.byHash(t.tokenHash)).toEqual(t);
      expect(await s.serviceTokens.byHash('cd'.repeat(32))).toBeNull();
      expect(await s.serviceTokens.revoke('st1', at(2), { ...audit, action: 'serviceToken.revoke' })).toBe(true);
      expect(await s.serviceTokens.revoke('st1', at(3), { ...audit, action: 'serviceToken.revoke' })).toBe(false);
      expect(await s.serviceTokens.list()).toEqual([{ ...t, revokedAt: at(2) }]);
      expect((await s.audit.list({ limit: 10 })).items.map((a) => a.action).filter((a) => a.startsWith('serviceToken')).sort()).toEqual(['serviceToken.issue', 'serviceToken.revoke']);
      await s.close();
    });

    it('refuses a second user with the same name', async () => {
      const s = await make();
      const u = { username: 'a', displayName: 'A', passwordHash: 'h', memberships: [], createdAt: at(0) };
      await s.users.create(u, audit);
      await expect(s.users.create(u, audit)).rejects.toBeInstanceOf(ConflictError);
      await s.close();
    });
    it('streams attachment bytes in and out, and keeps nothing of an upload that failed', async () => {
      const s = await make();
      await seed(s);
      const chunks = Array.from({ length: 5 }, (_, n) => crypto.randomBytes(100_000 + n));
      const whole = Buffer.concat(chunks);
      const meta = { id: 'a1', jurisdiction: 'j1', name: '签到簿.jpg', contentType: 'image/jpeg', createdAt: at(1), createdBy: 'u' };
      const rec = await s.attachments.create(meta, upload(chunks), (a) => ({ ...audit, action: 'attachment.upload', targetType: 'attachment', targetId: a.id, detail: { sha256: a.sha256 } }));
      expect(rec).toEqual({ ...meta, size: whole.length, sha256: crypto.createHash('sha256').update(whole).digest('hex') });
      expect(await s.attachments.get('a1')).toEqual(rec);
      const back: Buffer[] = [];
      for await (const c of s.attachments.read('a1')) back.push(Buffer.from(c));
      expect(Buffer.concat(back).equals(whole)).toBe(true);
      await expect(s.attachments.create({ ...meta, id: 'a2' }, upload(chunks, 3), () => audit)).rejects.toThrow('client went away');
      expect(await s.attachments.get('a2')).toBeNull();
      expect((await s.attachments.getMany(['a1', 'a2', 'zz'])).map((a) => a.id)).toEqual(['a1']);
      expect((await s.audit.list({ limit: 10 })).items.map((a) => a.action)).toContain('attachment.upload');
      await s.close();
    });

    it('stores a notification once, lists it for its audience with read marks, and with a step', async () => {
      const s = await make();
      await seed(s);
      expect(await s.notifications.add([notice('n1', 1, ['j1#supervision'], 1), notice('n2', 2, ['user:bob'])])).toBe(2);
      expect(await s.notifications.add([notice('n1', 1, ['j1#supervision'], 1)])).toBe(0);
      await s.instances.applyStep(step(instance('i9'), null, { notifications: [notice('n3', 3, ['user:ann', 'j1#supervision'])] }));
      const list = await s.notifications.list(['user:ann', 'j1#supervision'], 'ann', { limit: 1 });
      expect(list.items.map((n) => [n.id, n.read])).toEqual([['n3', false]]);
      const rest = await s.notifications.list(['user:ann', 'j1#supervision'], 'ann', { limit: 1, cursor: list.nextCursor });
      expect([rest.items.map((n) => n.id), rest.nextCursor]).toEqual([['n1'], null]);
      await s.notifications.markRead('n3', 'ann', at(4));
      await s.notifications.markRead('n3', 'ann', at(5));
      expect((await s.notifications.list(['user:ann', 'j1#supervision'], 'ann', { limit: 10, unread: true })).items.map((n) => n.id)).toEqual(['n1']);
      expect((await s.notifications.list(['j1#supervision'], 'cid', { limit: 10, unread: true })).items.map((n) => n.id)).toEqual(['n3', 'n1']);
      expect(await s.notifications.get('n2')).toMatchObject({ title: '通知2', audience: ['user:bob'] });
      await s.close();
    });

    it('hands a due delivery to one sender at a time, and again once its claim lapsed', async () => {
      const s = await make();
      await seed(s);
      await s.notifications.add([notice('n1', 1, ['user:a'], 2)]);
      const first = await s.deliveries.claim(at(5), at(10), 1);
      expect(first.map((d) => d.id)).toEqual(['n1:0']);
      expect((await s.deliveries.claim(at(5), at(10), 5)).map((d) => d.id)).toEqual(['n1:1']);
      expect(await s.deliveries.claim(at(6), at(10), 5)).toEqual([]);
      // the sender of n1:0 died: after its claim lapses another takes it over
      expect((await s.deliveries.claim(at(10), at(20), 5)).map((d) => d.id).sort()).toEqual(['n1:0', 'n1:1']);
      await s.deliveries.settle('n1:0', { status: 'sent', attempts: 1, nextAt: at(10), lastError: null, sentAt: at(11) });
      await s.deliveries.settle('n1:1', { status: 'pending', attempts: 1, nextAt: at(30), lastError: 'timeout', sentAt: null });
      expect(await s.deliveries.claim(at(25), at(40), 5)).toEqual([]);
      expect((await s.deliveries.claim(at(30), at(40), 5)).map((d) => [d.id, d.attempts, d.lastError])).toEqual([['n1:1', 1, 'timeout']]);
      expect(await s.deliveries.get('n1:0')).toMatchObject({ status: 'sent', sentAt: at(11), claimedUntil: null, channel: { type: 'email' } });
      await s.close();
    });
  });
}
