// Reads a DMN document (a decision requirements graph, as Camunda Modeler and dmn-js save it) with
// bpmn.io's dmn-moddle into what the evaluator needs, and every problem that would make Zeebe refuse
// its deployment: unparsable FEEL, logic other than decision tables and literal expressions, unnamed
// outputs of a compound table, an aggregation over a compound output, missing or cyclic requirements.
import { DmnModdle } from 'dmn-moddle';
import { feelSyntaxError, unaryTestsSyntaxError } from '../feel/index.js';

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'ANY' | 'PRIORITY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface TableOutput {
  name: string;
  label: string;
  /** The output's allowed values in order (PRIORITY and OUTPUT ORDER rank by them). */
  values: string[];
  /** FEEL of the value when no rule matched, or null. */
  defaultValue: string | null;
}

export interface DecisionTable {
  kind: 'table';
  hitPolicy: HitPolicy;
  aggregation: Aggregation | null;
  inputs: { label: string; expression: string }[];
  outputs: TableOutput[];
  rules: { id: string; inputs: string[]; outputs: string[] }[];
}

export interface LiteralDecision {
  kind: 'literal';
  expression: string;
}

export interface Decision {
  id: string;
  name: string;
  /** Under this name the result is visible to the decisions that require it (the variable, else the id). */
  resultName: string;
  logic: DecisionTable | LiteralDecision;
  /** Ids of the decisions whose results this one reads. */
  requires: string[];
}

export interface DmnProblem {
  /** The DMN element at fault (decision, rule, input…), or null for the document. */
  elementId: string | null;
  message: string;
}

export interface Drg {
  /** The document's definitions id (Zeebe's decision requirements id) and name. */
  id: string;
  name: string;
  decisions: Map<string, Decision>;
  problems: DmnProblem[];
}

type El = Record<string, any> & { $type: string; id?: string; name?: string };

const HIT_POLICIES = new Set<string>(['UNIQUE', 'FIRST', 'ANY', 'PRIORITY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER']);
const AGGREGATIONS = new Set<string>(['SUM', 'MIN', 'MAX', 'COUNT']);

const label = (el: El) => (el.name ? `${el.id}「${el.name}」` : String(el.id));

/** "\"a\", \"b\"" → ["a", "b"]: an output's allowed values, as the priority order reads them. */
function valueList(text: string | undefined): string[] {
  if (!text?.trim()) return [];
  return text.split(',').map((v) => v.trim().replace(/^["']|["']$/g, ''));
}

function readTable(el: El, decision: El, add: (id: string | null, message: string) => void): DecisionTable {
  const hitPolicy = (el.hitPolicy ?? 'UNIQUE') as string;
  if (!HIT_POLICIES.has(hitPolicy)) add(decision.id!, `${label(decision)}: 不支持命中策略 ${hitPolicy} (hit policy is not supported)`);
  const aggregation = (el.aggregation ?? null) as string | null;
  if (aggregation && !AGGREGATIONS.has(aggregation)) add(decision.id!, `${label(decision)}: 不支持汇总方式 ${aggregation} (aggregation is not supported)`);
  const outputs: TableOutput[] = ((el.output ?? []) as El[]).map((o) => ({
    name: o.name ?? '',
    label: o.label ?? o.name ?? '',
    values: valueList(o.outputValues?.text),
    defaultValue: o.defaultOutputEntry?.text?.trim() || null,
  }));
  if (!outputs.length) add(decision.id!, `${label(decision)}: 决策表至少需要一个输出列 (a decision table needs an output)`);
  if (outputs.length > 1) {
    outputs.forEach((o, n) => {
      if (!o.name) add(decision.id!, `${label(decision)}: 第 ${n + 1} 个输出列「${o.label}」需要名称 (no output name defined)`);
    });
    if (hitPolicy === 'COLLECT' && aggregation) add(decision.id!, `${label(decision)}: 多个输出列时不能汇总 (COLLECT with an aggregator needs a single output)`);
  }
  const inputs = ((el.input ?? []) as El[]).map((i) => ({ label: i.label ?? '', expression: (i.inputExpression?.text ?? '').trim() }));
  inputs.forEach((i, n) => {
    const error = i.expression ? feelSyntaxError(i.expression) : '输入表达式为空 (empty)';
    if (error) add(decision.id!, `${label(decision)}: 第 ${n + 1} 个输入「${i.label}」的表达式有误: ${error}`);
  });
  const rules = ((el.rule ?? []) as El[]).map((r, n) => {
    const rule = { id: r.id ?? `rule${n + 1}`, inputs: ((r.inputEntry ?? []) as El[]).map((e) => (e.text ?? '').trim()), outputs: ((r.outputEntry ?? []) as El[]).map((e) => (e.text ?? '').trim()) };
    const where = `${label(decision)} 第 ${n + 1} 条规则`;
    if (rule.inputs.length !== inputs.length || rule.outputs.length !== outputs.length) add(rule.id, `${where}: 单元格数与列数不符 (entries do not match the columns)`);
    for (const test of rule.inputs) {
      const error = unaryTestsSyntaxError(test);
      if (error) add(rule.id, `${where}: 条件 ${JSON.stringify(test)} 有误: ${error}`);
    }
    for (const out of rule.outputs) {
      const error = out ? feelSyntaxError(out) : null;
      if (error) add(rule.id, `${where}: 结果 ${JSON.stringify(out)} 有误: ${error}`);
    }
    return rule;
  });
  return { kind: 'table', hitPolicy: hitPolicy as HitPolicy, aggregation: aggregation as Aggregation | null, inputs, outputs, rules };
}

function readDecision(el: El, add: (id: string | null, message: string) => void): Decision {
  const logicEl = el.decisionLogic as El | undefined;
  let logic: Decision['logic'];
  if (logicEl?.$type === 'dmn:DecisionTable') logic = readTable(logicEl, el, add);
  else if (logicEl?.$type === 'dmn:LiteralExpression') {
    const expression = (logicEl.text ?? '').trim();
    const error = expression ? feelSyntaxError(expression) : '表达式为空 (empty)';
    if (error) add(el.id!, `${label(el)}: 表达式有误: ${error}`);
    logic = { kind: 'literal', expression };
  } else {
    add(el.id!, `${label(el)}: 只支持决策表和文字表达式 (only decision tables and literal expressions are supported)`);
    logic = { kind: 'literal', expression: 'null' };
  }
  const requires = ((el.informationRequirement ?? []) as El[])
    .map((r) => String(r.requiredDecision?.href ?? ''))
    .filter(Boolean)
    .map((href) => href.slice(href.indexOf('#') + 1));
  return { id: el.id!, name: el.name ?? el.id!, resultName: el.variable?.name || el.id!, logic, requires };
}

function checkRequirements(decisions: Map<string, Decision>, add: (id: string | null, message: string) => void) {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (d: Decision): boolean => {
    if (done.has(d.id)) return true;
    if (visiting.has(d.id)) return false;
    visiting.add(d.id);
    for (const id of d.requires) {
      const required = decisions.get(id);
      if (!required) add(d.id, `${d.id}「${d.name}」: 依赖的决策 ${id} 不在本文件中 (required decision not found)`);
      else if (!visit(required)) {
        add(d.id, `${d.id}「${d.name}」: 决策之间循环依赖 (cyclic decision requirements)`);
        return true;
      }
    }
    visiting.delete(d.id);
    done.add(d.id);
    return true;
  };
  for (const d of decisions.values()) visit(d);
}

export async function readDmn(xml: string): Promise<Drg> {
  const problems: DmnProblem[] = [];
  const add = (elementId: string | null, message: string) => problems.push({ elementId, message });
  const decisions = new Map<string, Decision>();
  let root: El;
  try {
    const parsed = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
    root = parsed.rootElement as El;
    for (const w of parsed.warnings ?? []) add((w as { element?: El }).element?.id ?? null, `DMN: ${(w as Error).message}`);
  } catch (err) {
    return { id: '', name: '', decisions, problems: [{ elementId: null, message: `DMN 无法解析 (does not parse): ${(err as Error).message}` }] };
  }
  for (const el of (root.drgElement ?? []) as El[]) {
    if (el.$type !== 'dmn:Decision') continue;
    if (decisions.has(el.id!)) add(el.id!, `决策 id ${el.id} 重复 (duplicate decision id)`);
    decisions.set(el.id!, readDecision(el, add));
  }
  if (!decisions.size) add(null, '文档中没有决策 (the document holds no decision)');
  checkRequirements(decisions, add);
  return { id: root.id ?? '', name: root.name ?? root.id ?? '', decisions, problems };
}
