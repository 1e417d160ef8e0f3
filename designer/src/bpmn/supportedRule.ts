// A bpmnlint rule flagging, before deploy, what the engines refuse at deploy: it reads the same
// list (server/bpmn/supported.ts) and says the same Chinese refusal.
import { unsupported } from '../../../server/bpmn/supported.js';

interface ModdleNode {
  $type: string;
  $instanceOf?: (type: string) => boolean;
  $parent?: ModdleNode & { triggeredByEvent?: boolean; isExecutable?: boolean };
  eventDefinitions?: { $type: string }[];
  extensionElements?: { values?: { $type: string }[] };
}

export default function supportedElements() {
  return {
    check(node: ModdleNode, reporter: { report(id: string, message: string): void }) {
      // Only what is drawn in a process: flow elements and artifacts, not definitions or diagrams.
      if (!node.$instanceOf?.('bpmn:FlowElement') && !node.$instanceOf?.('bpmn:Artifact')) return;
      // A pool drawn only to document a partner (a process not executable) is not deployed, as on Zeebe.
      let container = node.$parent;
      while (container && container.$type !== 'bpmn:Process') container = container.$parent;
      if (container && !container.isExecutable) return;
      const definition = node.eventDefinitions?.[0]?.$type ?? 'none';
      const jobType = !!node.extensionElements?.values?.some((v) => v.$type === 'zeebe:TaskDefinition');
      const message = unsupported(node.$type, definition, !!node.$parent?.triggeredByEvent, jobType);
      if (message) reporter.report((node as unknown as { id: string }).id, message);
    },
  };
}
