// DMN documents in the shape Camunda Modeler saves (DMN 1.3 namespaces, ids on every element), built
// from a compact description so tests read as tables.
export interface TableSpec {
  id: string;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: string[];
  outputs: { name: string; label?: string; values?: string; default?: string }[];
  rules: [string[], string[]][];
  /** Decisions whose results this one reads (ids in the same document). */
  requires?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function decision(t: TableSpec): string {
  const policy = t.hitPolicy && t.hitPolicy !== 'UNIQUE' ? ` hitPolicy="${t.hitPolicy}"` : '';
  const aggregation = t.aggregation ? ` aggregation="${t.aggregation}"` : '';
  const requires = (t.requires ?? []).map((r, n) => `\n    <informationRequirement id="ir_${t.id}_${n}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  const inputs = t.inputs.map((e, n) => `
      <input id="in_${t.id}_${n}" label="${esc(e)}">
        <inputExpression id="ie_${t.id}_${n}" typeRef="string"><text>${esc(e)}</text></inputExpression>
      </input>`).join('');
  const outputs = t.outputs.map((o, n) => `
      <output id="out_${t.id}_${n}" label="${esc(o.label ?? o.name)}" name="${o.name}" typeRef="string">${o.values ? `
        <outputValues id="ov_${t.id}_${n}"><text>${esc(o.values)}</text></outputValues>` : ''}${o.default ? `
        <defaultOutputEntry id="do_${t.id}_${n}"><text>${esc(o.default)}</text></defaultOutputEntry>` : ''}
      </output>`).join('');
  const rules = t.rules.map(([ins, outs], r) => `
      <rule id="rule_${t.id}_${r}">${ins.map((x, n) => `
        <inputEntry id="ue_${t.id}_${r}_${n}"><text>${esc(x)}</text></inputEntry>`).join('')}${outs.map((x, n) => `
        <outputEntry id="oe_${t.id}_${r}_${n}"><text>${esc(x)}</text></outputEntry>`).join('')}
      </rule>`).join('');
  return `
  <decision id="${t.id}" name="${esc(t.name ?? t.id)}">${requires}
    <decisionTable id="dt_${t.id}"${policy}${aggregation}>${inputs}${outputs}${rules}
    </decisionTable>
  </decision>`;
}

/** A DRG document holding the tables (and literal-expression decisions: {id, expression, variable?}). */
export function dmn(id: string, tables: TableSpec[], literals: { id: string; expression: string; variable?: string }[] = []): string {
  const lits = literals.map((l) => `
  <decision id="${l.id}" name="${l.id}">${l.variable ? `
    <variable id="var_${l.id}" name="${l.variable}" />` : ''}
    <literalExpression id="le_${l.id}"><text>${esc(l.expression)}</text></literalExpression>
  </decision>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="${id}" name="${id}" namespace="http://camunda.org/schema/1.0/dmn" exporter="Camunda Modeler" exporterVersion="5.28.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">${tables.map(decision).join('')}${lits}
</definitions>
`;
}
