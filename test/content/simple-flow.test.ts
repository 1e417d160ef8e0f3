// 流程简图 ⇄ BPMN: what the simple designer writes reads back the same, deploys on the embedded
// engine without a problem, and a diagram it cannot express is refused with a Chinese reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newBranch, newCopy, newPerson, problemsOf, toBpmn, emptyFlow, type SimpleFlow } from '../../designer/src/simple/flow.js';
import { fromBpmn as parse } from '../../designer/src/simple/parse.js';
import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import { internalHandlers } from '../../server/domain/service-tasks.js';
import { zeebeSchema } from '../../server/bpmn/read.js';
import { ROOT } from '../support/server.js';

const fromBpmn = (xml: string) => parse(xml, zeebeSchema);

function villageFlow(): SimpleFlow {
  const flow = emptyFlow('village-matter', '村务事项');
  const register = { ...newPerson('handle'), name: '登记', group: 'staff', form: 'issue-intake', days: 3 };
  const committees = { ...newPerson('approve'), name: '两委会签', approval: 'countersign' as const, signers: ['zhang', 'li', 'wang'], required: 2 };
  const copy = { ...newCopy(), name: '抄送乡镇', to: 'township', message: '村务事项已经两委会签' };
  const branch = newBranch();
  branch.paths[0] = { ...branch.paths[0]!, name: '需公示', when: { field: 'needsPublicity', value: 'true' }, nodes: [{ ...newPerson('handle'), name: '公示', group: 'staff', days: 7 }] };
  branch.paths[1] = { ...branch.paths[1]!, nodes: [{ ...newPerson('approve'), name: '书记或主任审核', approval: 'anyone', signers: ['zhang', 'li'] }] };
  const inTurn = { ...newPerson('approve'), name: '依次审核', approval: 'sequential' as const, signers: ['li', 'wang'] };
  flow.nodes = [register, committees, copy, branch, inTurn];
  return flow;
}

describe('流程简图 and BPMN', () => {
  it('reads back exactly what it writes, and the embedded engine accepts it', async () => {
    const flow = villageFlow();
    const xml = toBpmn(flow);
    expect(await fromBpmn(xml)).toEqual({ flow });
    const { problems, processes } = await new EmbeddedEngine({ handlers: internalHandlers }).inspect(xml);
    expect(problems).toEqual([]);
    expect(processes.map((p) => p.key)).toEqual(['village-matter']);
    expect(xml).toContain('=numberOfCompletedInstances &gt;= 2');
    expect(xml).toContain('isSequential="true"');
    expect(xml).toContain('<zeebe:taskDefinition type="notify" />');
    expect(xml).toContain('dueDate="=now() + duration(&quot;P3D&quot;)"');
    // Every element and flow has its place in the diagram.
    const ids = [...xml.matchAll(/<bpmn:\w+ id="([^"]+)"/g)].map((m) => m[1]).filter((id) => !id!.startsWith('definitions'));
    for (const id of ids.filter((id) => !['village-matter'].includes(id!))) expect(xml).toContain(`bpmnElement="${id}"`);
  });

  it('an empty path and an empty flow read back too', async () => {
    const flow = emptyFlow('nothing', '空流程');
    expect(await fromBpmn(toBpmn(flow))).toEqual({ flow });
    const branch = newBranch();
    branch.paths[0]!.when = { field: 'approved', value: '"同意"' };
    flow.nodes = [branch];
    expect(await fromBpmn(toBpmn(flow))).toEqual({ flow });
  });

  it('says what is missing before a deploy', () => {
    expect(problemsOf(villageFlow().nodes)).toEqual([]);
    const flow = villageFlow();
    flow.nodes.push(newBranch(), { ...newPerson('approve'), name: '复核', approval: 'countersign', signers: ['zhang'], required: 2 });
    expect(problemsOf(flow.nodes)).toEqual(['“条件分支”的“条件1”还没有选择字段', '“复核”要求 2 人同意，但只有 1 位审批人']);
  });

  it('refuses what it cannot express, saying why', async () => {
    const shipped = fs.readFileSync(path.join(ROOT, 'processes/national/consultation.bpmn'), 'utf8');
    const parsed = await fromBpmn(shipped);
    expect(parsed).toEqual({ reason: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    const looped = toBpmn(villageFlow()).replace('<zeebe:formDefinition formKey="issue-intake" />', '<zeebe:formDefinition formKey="issue-intake" /><zeebe:ioMapping><zeebe:input source="=1" target="x" /></zeebe:ioMapping>');
    expect(await fromBpmn(looped)).toEqual({ reason: '“登记”带有简图不支持的设置' });
  });
});
