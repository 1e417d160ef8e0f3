// A properties-panel group of our own: for user tasks the form is chosen from the jurisdiction's
// effective forms and the candidate groups from its groups, so an official cannot type a key that
// does not resolve (the same zeebe:formDefinition / zeebe:assignmentDefinition Zeebe reads); plus
// the officials' entries for 会签, calling another procedure and recurring starts (officialsEntries).
// Written with preact's h(): the properties panel renders with preact, not React.
import { h } from '@bpmn-io/properties-panel/preact';
import { SelectEntry, CheckboxEntry, isSelectEntryEdited, isCheckboxEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { calledProcessEntries, recurrenceEntries, signingEntries } from './officialsEntries';
import { modelerServices, type Element, type Injector, type ModdleElement, type PanelCommand, type PanelEntry, type PanelGroup } from './panel';

export interface YishiChoices {
  forms: { formKey: string; definedAt: string; title?: string }[];
  groups: Record<string, string>;
  /** The jurisdiction's procedures, for a call activity to pick from. */
  processes: { key: string; name: string }[];
}

const is = (element: Element, type: string) => !!element?.businessObject?.$instanceOf?.(type);

export function extension(bo: ModdleElement, type: string): ModdleElement {
  return (bo.get('extensionElements')?.get('values') ?? []).find((v: ModdleElement) => v.$instanceOf(type));
}

/** Sets properties on the task's zeebe extension of `type`, creating what is missing, as one undo step. */
export function setExtension(injector: Injector, element: Element, type: string, props: Record<string, unknown>) {
  const { bpmnFactory, execute } = modelerServices(injector);
  const bo = element.businessObject;
  const commands: PanelCommand[] = [];
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: bo, properties: { extensionElements: ext } } });
  }
  const existing = extension(bo, type);
  if (existing) {
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: existing, properties: props } });
  } else {
    const created = bpmnFactory.create(type, props);
    created.$parent = ext;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: ext, properties: { values: [...ext.get('values'), created] } } });
  }
  execute(commands);
}

function FormKeyEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  const choices: YishiChoices = useService('yishiChoices');
  return h(SelectEntry, {
    id, element, label: translate('Form of this step'),
    getValue: () => extension(element.businessObject, 'zeebe:FormDefinition')?.get('formKey') ?? '',
    setValue: (value: string) => setExtension(injector, element, 'zeebe:FormDefinition', { formKey: value || undefined }),
    getOptions: () => [{ value: '', label: translate('<none>') }, ...choices.forms.map((f) => ({ value: f.formKey, label: f.title ?? f.formKey }))],
  });
}

function GroupEntry({ element, id, group, label }: { element: Element; id: string; group: string; label: string }) {
  const injector = useService('injector');
  const current = () => String(extension(element.businessObject, 'zeebe:AssignmentDefinition')?.get('candidateGroups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  return h(CheckboxEntry, {
    id, element, label,
    getValue: () => current().includes(group),
    setValue: (on: boolean) => {
      const groups = new Set(current());
      if (on) groups.add(group);
      else groups.delete(group);
      setExtension(injector, element, 'zeebe:AssignmentDefinition', { candidateGroups: [...groups].join(',') || undefined });
    },
  });
}

interface PropertiesPanel {
  registerProvider(priority: number, provider: unknown): void;
}

function YishiPropertiesProvider(
  this: { getGroups(element: Element): (groups: PanelGroup[]) => PanelGroup[] },
  propertiesPanel: PropertiesPanel,
  translate: (text: string) => string,
  yishiChoices: YishiChoices,
) {
  this.getGroups = (element) => (groups) => {
    const entries: PanelEntry[] = [];
    if (is(element, 'bpmn:UserTask')) {
      entries.push(
        { id: 'yishi-form-key', element, component: FormKeyEntry, isEdited: isSelectEntryEdited },
        ...Object.entries(yishiChoices.groups).map(([group, label]) => ({
          id: `yishi-group-${group}`, element, group, label, isEdited: isCheckboxEntryEdited,
          component: (props: { element: Element; id: string }) => h(GroupEntry, { ...props, group, label }),
        })),
      );
    }
    if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:SubProcess')) entries.push(...signingEntries(element));
    if (is(element, 'bpmn:CallActivity')) entries.push(...calledProcessEntries(element));
    entries.push(...recurrenceEntries(element));
    if (!entries.length) return groups;
    return [groups[0], { id: 'yishi', label: translate('Yishi'), entries }, ...groups.slice(1)].filter(Boolean);
  };
  propertiesPanel.registerProvider(400, this);
}
YishiPropertiesProvider.$inject = ['propertiesPanel', 'translate', 'yishiChoices'];

export function yishiPropertiesModule(choices: YishiChoices) {
  return {
    __init__: ['yishiPropertiesProvider'],
    yishiPropertiesProvider: ['type', YishiPropertiesProvider],
    yishiChoices: ['value', choices],
  };
}
