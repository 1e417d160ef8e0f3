// Evaluates one decision of a DRG over the variables, with the meaning Zeebe's engine (dmn-scala)
// gives it: required decisions first (their results visible by result name); a table's inputs in
// FEEL, its entries as unary tests (a null test fails the rule); no match → the outputs' defaults;
// one output column → its value, several → a context; UNIQUE/FIRST/ANY/PRIORITY → one result,
// RULE ORDER/OUTPUT ORDER/COLLECT → a list, COLLECT with SUM/MIN/MAX/COUNT → a number.
import type { JsonObject } from '../json.js';
import { evaluateFeel, FeelError, unaryTests } from '../feel/index.js';
import type { Decision, DecisionTable, Drg, TableOutput } from './read.js';

export class DecisionError extends Error {}

type Row = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function feel(expression: string, context: JsonObject, where: string): unknown {
  if (!expression) return null;
  try {
    return evaluateFeel(expression, context);
  } catch (err) {
    if (err instanceof FeelError) throw new DecisionError(`${where}: ${err.message}`);
    throw err;
  }
}

function matches(rule: DecisionTable['rules'][number], inputs: unknown[], context: JsonObject, where: string): boolean {
  for (let n = 0; n < inputs.length; n++) {
    let met: boolean | null;
    try {
      met = unaryTests(rule.inputs[n] ?? '', inputs[n], context);
    } catch (err) {
      if (err instanceof FeelError) throw new DecisionError(`${where} 规则 ${rule.id}: ${err.message}`);
      throw err;
    }
    if (!met) return false;
  }
  return true;
}

/** One value per row when the table has one output, else a context per row. */
const shape = (row: Row) => {
  const values = Object.values(row);
  return values.length === 1 ? values[0] : row;
};

/** Rows ranked by their outputs' positions in each output's allowed values (dmn-scala's order). */
function byPriority(rows: Row[], outputs: TableOutput[]): Row[] {
  const rank = (row: Row) =>
    outputs
      .map((o) => {
        const value = row[o.name];
        const at = typeof value === 'string' || typeof value === 'number' ? o.values.indexOf(String(value)) : -1;
        return at >= 0 ? String(at) : '_';
      })
      .join('');
  return rows.map((row) => ({ row, key: rank(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row);
}

function numbers(rows: Row[], where: string): number[] {
  return rows.map((row) => {
    const value = shape(row);
    if (typeof value !== 'number') throw new DecisionError(`${where}: 汇总需要数字结果，实际为 ${JSON.stringify(value)} (expected a number)`);
    return value;
  });
}

function hitPolicy(table: DecisionTable, rows: Row[], where: string): unknown {
  const list = (ordered: Row[]) => ordered.map(shape);
  switch (table.hitPolicy) {
    case 'FIRST':
      return shape(rows[0]!);
    case 'UNIQUE':
      if (rows.length > 1) throw new DecisionError(`${where}: 命中策略 UNIQUE 却有 ${rows.length} 条规则同时满足 (multiple rules matched)`);
      return shape(rows[0]!);
    case 'ANY':
      if (rows.some((r) => !same(r, rows[0]))) throw new DecisionError(`${where}: 命中策略 ANY 的满足规则给出不同结果 (different outputs)`);
      return shape(rows[0]!);
    case 'PRIORITY':
      return shape(byPriority(rows, table.outputs)[0]!);
    case 'OUTPUT ORDER':
      return list(byPriority(rows, table.outputs));
    case 'RULE ORDER':
      return list(rows);
    case 'COLLECT': {
      if (table.aggregation === 'COUNT') return rows.length;
      if (!table.aggregation) return list(rows);
      const values = numbers(rows, where);
      if (table.aggregation === 'SUM') return values.reduce((a, b) => a + b, 0);
      return table.aggregation === 'MIN' ? Math.min(...values) : Math.max(...values);
    }
  }
}

function evaluateTable(table: DecisionTable, context: JsonObject, where: string): unknown {
  const inputs = table.inputs.map((i) => feel(i.expression, context, `${where} 输入「${i.label}」`));
  const rows: Row[] = [];
  for (const rule of table.rules) {
    if (!matches(rule, inputs, context, where)) continue;
    const row: Row = {};
    table.outputs.forEach((o, n) => (row[o.name] = feel(rule.outputs[n] ?? '', context, `${where} 规则 ${rule.id}`)));
    rows.push(row);
    if (table.hitPolicy === 'FIRST') break;
  }
  if (rows.length) return hitPolicy(table, rows, where);
  const defaults: Row = {};
  for (const o of table.outputs) if (o.defaultValue) defaults[o.name] = feel(o.defaultValue, context, where);
  return Object.keys(defaults).length ? shape(defaults) : null;
}

function evaluate(drg: Drg, decision: Decision, variables: JsonObject, seen: Map<string, unknown>): unknown {
  if (seen.has(decision.id)) return seen.get(decision.id);
  const context: JsonObject = { ...variables };
  for (const id of decision.requires) {
    const required = drg.decisions.get(id)!;
    context[required.resultName] = evaluate(drg, required, variables, seen) as JsonObject[string];
  }
  const where = `决策「${decision.name}」`;
  const result = decision.logic.kind === 'table' ? evaluateTable(decision.logic, context, where) : feel(decision.logic.expression, context, where);
  seen.set(decision.id, result);
  return result;
}

/** The decision's result over the variables; DecisionError when it has none by Zeebe's rules. */
export function evaluateDecision(drg: Drg, decisionId: string, variables: JsonObject): unknown {
  const decision = drg.decisions.get(decisionId);
  if (!decision) throw new DecisionError(`文件 ${drg.id} 中没有决策 ${decisionId} (no such decision)`);
  return evaluate(drg, decision, variables, new Map());
}
