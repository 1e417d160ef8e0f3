// Properties-panel entries that let an official draw what they know by name, without FEEL or BPMN
// terms: 会签 (a user task done by each of several people, together or one after another, with "all",
// "n of them" or "any one" sufficing), a call of another procedure of the jurisdiction, and a
// recurring start (每季度). Each writes the plain Zeebe XML the engines read:
// bpmn:multiInstanceLoopCharacteristics + zeebe:loopCharacteristics + completionCondition,
// zeebe:calledElement, timeCycle "R/P3M".
import { h } from '@bpmn-io/properties-panel/preact';
import { NumberFieldEntry, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { modelerServices, type Element, type Injector, type ModdleElement, type PanelCommand, type PanelEntry } from './panel';
import { extension, setExtension, type YishiChoices } from './yishiProperties';

/** The variable each signer's task sees its signer in (the assignee expression reads it). */
export const SIGNER = 'signer';
const COMPLETED_AT_LEAST = /^=\s*numberOfCompletedInstances\s*>=\s*(\d+)\s*$/;
const STRING_LIST = /^=\s*\[(.*)\]\s*$/s;

const bo = (element: Element) => element.businessObject;
const loop = (element: Element) => bo(element).get('loopCharacteristics');

export type SigningMode = 'single' | 'parallel' | 'sequential';

export function signingMode(element: Element): SigningMode {
  const l = loop(element);
  if (!l?.$instanceOf('bpmn:MultiInstanceLoopCharacteristics')) return 'single';
  return l.get('isSequential') ? 'sequential' : 'parallel';
}

/** "张三, 李四" ⇄ =["张三","李四"]; anything starting with "=" stays the expression it is. */
export function signersToFeel(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('=')) return trimmed;
  const names = trimmed.split(/[,，、\s]+/).filter(Boolean);
  return `=${JSON.stringify(names)}`;
}

export function signersFromFeel(feel: string | undefined): string {
  if (!feel) return '';
  const m = STRING_LIST.exec(feel);
  if (!m) return feel;
  try {
    const list = JSON.parse(`[${m[1]}]`);
    if (Array.isArray(list) && list.every((v) => typeof v === 'string')) return list.join('、');
  } catch {
    // not a plain list of names: show the expression as written
  }
  return feel;
}

/** How many must finish: 0 = all of them. */
export function requiredCount(element: Element): number {
  const body = loop(element)?.get('completionCondition')?.get('body');
  const m = body ? COMPLETED_AT_LEAST.exec(body) : null;
  return m ? Number(m[1]) : 0;
}

function setMode(injector: Injector, element: Element, mode: SigningMode) {
  const { bpmnFactory } = modelerServices(injector);
  const commands: PanelCommand[] = [];
  if (mode === 'single') {
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: bo(element), properties: { loopCharacteristics: undefined } } });
  } else if (signingMode(element) !== 'single') {
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: loop(element), properties: { isSequential: mode === 'sequential' } } });
  } else {
    const zeebeLoop = bpmnFactory.create('zeebe:LoopCharacteristics', { inputElement: SIGNER });
    const ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [zeebeLoop] });
    const l = bpmnFactory.create('bpmn:MultiInstanceLoopCharacteristics', { isSequential: mode === 'sequential', extensionElements: ext });
    zeebeLoop.$parent = ext;
    ext.$parent = l;
    l.$parent = bo(element);
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: bo(element), properties: { loopCharacteristics: l } } });
  }
  modelerServices(injector).execute(commands);
  // Each signer's task is theirs: assigned to the signer the instance was made for.
  if (mode !== 'single' && bo(element).$instanceOf('bpmn:UserTask')) {
    setExtension(injector, element, 'zeebe:AssignmentDefinition', { assignee: `=${SIGNER}` });
  }
}

function setLoopAttribute(injector: Injector, element: Element, props: Record<string, unknown>) {
  const l = loop(element);
  const { bpmnFactory } = modelerServices(injector);
  let ext = l.get('extensionElements');
  const commands: PanelCommand[] = [];
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = l;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: l, properties: { extensionElements: ext } } });
  }
  const existing = extension(l, 'zeebe:LoopCharacteristics');
  if (existing) {
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: existing, properties: props } });
  } else {
    const created = bpmnFactory.create('zeebe:LoopCharacteristics', { inputElement: SIGNER, ...props });
    created.$parent = ext;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: ext, properties: { values: [...ext.get('values'), created] } } });
  }
  modelerServices(injector).execute(commands);
}

function setRequired(injector: Injector, element: Element, count: number) {
  const l = loop(element);
  const condition = count > 0 ? modelerServices(injector).bpmnFactory.create('bpmn:FormalExpression', { body: `=numberOfCompletedInstances >= ${count}` }) : undefined;
  if (condition) condition.$parent = l;
  modelerServices(injector).modeling.updateModdleProperties(element, l, { completionCondition: condition });
}

function ModeEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  return h(SelectEntry, {
    id, element, label: translate('Who does this step'),
    getValue: () => signingMode(element),
    setValue: (value: SigningMode) => setMode(injector, element, value),
    getOptions: () => [
      { value: 'single', label: translate('One person') },
      { value: 'parallel', label: translate('Several people at once (countersign)') },
      { value: 'sequential', label: translate('Several people in turn') },
    ],
  });
}

function SignersEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    id, element, debounce, label: translate('Signers'),
    description: translate('Accounts separated by commas, or "=" and a form field that holds the list'),
    getValue: () => signersFromFeel(extension(loop(element), 'zeebe:LoopCharacteristics')?.get('inputCollection')),
    setValue: (value: string) => setLoopAttribute(injector, element, { inputCollection: signersToFeel(value ?? '') }),
  });
}

function SufficesEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  return h(SelectEntry, {
    id, element, label: translate('Done when'),
    getValue: () => {
      const n = requiredCount(element);
      return n === 0 ? 'all' : n === 1 ? 'any' : 'some';
    },
    setValue: (value: string) => setRequired(injector, element, value === 'all' ? 0 : value === 'any' ? 1 : Math.max(2, requiredCount(element))),
    getOptions: () => [
      { value: 'all', label: translate('Everyone has done it') },
      { value: 'some', label: translate('A number of them have done it') },
      { value: 'any', label: translate('Any one has done it') },
    ],
  });
}

function CountEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  return h(NumberFieldEntry, {
    id, element, debounce, min: 1, label: translate('How many suffice'),
    getValue: () => requiredCount(element),
    setValue: (value: number) => setRequired(injector, element, Math.max(1, Math.floor(Number(value) || 1))),
  });
}

export function signingEntries(element: Element) {
  const entries: PanelEntry[] = [{ id: 'yishi-signing-mode', element, component: ModeEntry }];
  if (signingMode(element) === 'single') return entries;
  entries.push({ id: 'yishi-signers', element, component: SignersEntry }, { id: 'yishi-suffices', element, component: SufficesEntry });
  if (requiredCount(element) > 1) entries.push({ id: 'yishi-suffice-count', element, component: CountEntry });
  return entries;
}

function CalledProcessEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  const choices: YishiChoices = useService('yishiChoices');
  return h(SelectEntry, {
    id, element, label: translate('Procedure to run'),
    getValue: () => extension(bo(element), 'zeebe:CalledElement')?.get('processId') ?? '',
    setValue: (value: string) => setExtension(injector, element, 'zeebe:CalledElement', { processId: value || undefined }),
    getOptions: () => [{ value: '', label: translate('<none>') }, ...choices.processes.map((p) => ({ value: p.key, label: p.name }))],
  });
}

export const calledProcessEntries = (element: Element) => [{ id: 'yishi-called-process', element, component: CalledProcessEntry }];

/** Recurrences an official names; written as ISO 8601 repeating intervals, which both engines run. */
export const RECURRENCES: { cycle: string; label: string }[] = [
  { cycle: 'R/P1D', label: 'Every day' },
  { cycle: 'R/P7D', label: 'Every week' },
  { cycle: 'R/P1M', label: 'Every month' },
  { cycle: 'R/P3M', label: 'Every quarter' },
  { cycle: 'R/P1Y', label: 'Every year' },
];

const timerDefinition = (element: Element) =>
  (bo(element).get('eventDefinitions') ?? []).find((d: ModdleElement) => d.$instanceOf('bpmn:TimerEventDefinition'));

function RecurrenceEntry({ element, id }: { element: Element; id: string }) {
  const translate = useService('translate');
  const injector = useService('injector');
  return h(SelectEntry, {
    id, element, label: translate('Starts again'),
    getValue: () => timerDefinition(element)?.get('timeCycle')?.get('body') ?? '',
    setValue: (cycle: string) => {
      const def = timerDefinition(element);
      const expression = cycle ? modelerServices(injector).bpmnFactory.create('bpmn:FormalExpression', { body: cycle }) : undefined;
      if (expression) expression.$parent = def;
      modelerServices(injector).modeling.updateModdleProperties(element, def, { timeCycle: expression, timeDate: undefined, timeDuration: undefined });
    },
    getOptions: () => [{ value: '', label: translate('<none>') }, ...RECURRENCES.map((r) => ({ value: r.cycle, label: translate(r.label) }))],
  });
}

export function recurrenceEntries(element: Element) {
  const isProcessStart = bo(element).$instanceOf('bpmn:StartEvent') && bo(element).$parent?.$instanceOf('bpmn:Process');
  return isProcessStart && timerDefinition(element) ? [{ id: 'yishi-recurrence', element, component: RecurrenceEntry }] : [];
}
