// A new DMN document as Camunda Modeler starts one for Camunda 8: one decision table (one input, one
// output, hit policy UNIQUE), with its shape on the requirements diagram. The definitions id is the
// document's key; the decision id is what a business rule task calls.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function newDecisionDocument(key: string, name: string, labels: { input: string; output: string }): string {
  const decision = key.replace(/[^A-Za-z0-9_]/g, '_');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="${key}" name="${esc(name)}" namespace="http://camunda.org/schema/1.0/dmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <decision id="${decision}" name="${esc(name)}">
    <decisionTable id="DecisionTable_${decision}">
      <input id="Input_1" label="${esc(labels.input)}">
        <inputExpression id="InputExpression_1" typeRef="string"><text>category</text></inputExpression>
      </input>
      <output id="Output_1" label="${esc(labels.output)}" name="result" typeRef="string" />
      <rule id="Rule_1">
        <inputEntry id="UnaryTests_1"><text></text></inputEntry>
        <outputEntry id="LiteralExpression_1"><text>""</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_1">
      <dmndi:DMNShape id="DMNShape_1" dmnElementRef="${decision}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}
