// The bpmn-js and properties-panel shapes our panel entries use, named after what they are.
import type { Injector } from 'didi';
import type { Element } from 'bpmn-js/lib/model/Types';
import type BpmnFactory from 'bpmn-js/lib/features/modeling/BpmnFactory';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling';
import type CommandStack from 'diagram-js/lib/command/CommandStack';

export type { Injector };
export type { Element, ModdleElement } from 'bpmn-js/lib/model/Types';

/** One change of a properties-panel.multi-command-executor run: all of them are undone as one step. */
export interface PanelCommand {
  cmd: string;
  context: Record<string, unknown>;
}

/** An entry of a properties-panel group: a component rendered for the element. */
export interface PanelEntry {
  id: string;
  element: Element;
  component: (props: { element: Element; id: string }) => unknown;
  isEdited?: (node: unknown) => boolean;
  [extra: string]: unknown;
}

export interface PanelGroup {
  id: string;
  label: string;
  entries: PanelEntry[];
}

/** The modeler's services the entries use, typed. */
export const modelerServices = (injector: Injector) => ({
  bpmnFactory: injector.get<BpmnFactory>('bpmnFactory'),
  modeling: injector.get<Modeling>('modeling'),
  /** Runs the commands as one undo step. */
  execute: (commands: PanelCommand[]) => injector.get<CommandStack>('commandStack').execute('properties-panel.multi-command-executor', commands),
});
