// Whether a BPMN text can be deployed as a process at a jurisdiction: the engine's own findings and
// the process id it must hold. Forms do not stop a deploy (Zeebe deploys them unchecked): a formKey
// naming no form there (own or inherited), or an embedded Camunda Form that does not convert as it
// is, is a warning, and the task shows a generic form (Tasklist's behaviour).
// Single deploys (catalog.ts) and rule-set imports (rulesets.ts) ask the same question.
import type { Engine } from '../engine/index.js';
import type { FieldProblem } from '../errors.js';
import { convertFormJs } from '../forms/formjs.js';
import { embeddedFormId } from '../forms/keys.js';

export interface Deployable {
  problems: FieldProblem[];
  /** What deploys but will not show as drawn (forms); said in the answer, stored nothing. */
  warnings: FieldProblem[];
  /** The process's name, when the text holds the process. */
  name: string | null;
}

/** `paths` say where in the request the text and the key are, for the problems' field paths. */
export async function checkDeployable(
  engine: Engine,
  xml: string,
  key: string,
  forms: Set<string>,
  paths: { xml: string; key: string },
): Promise<Deployable> {
  const inspected = await engine.inspect(xml);
  const problems = inspected.problems.map((p) => ({ path: `${paths.xml}${p.elementId ? `#${p.elementId}` : ''}`, message: p.message }));
  const proc = inspected.processes.find((p) => p.key === key);
  if (!proc && !problems.length) problems.push({ path: paths.key, message: `BPMN 中没有 id 为 ${key} 的流程 (process id must be ${key})` });
  const warnings: FieldProblem[] = [];
  for (const formKey of proc?.formKeys ?? []) {
    const embedded = embeddedFormId(formKey);
    if (embedded === null) {
      if (!forms.has(formKey)) warnings.push({ path: paths.xml, message: `表单 ${formKey} 在本辖区及上级中都不存在，任务将显示通用表单 (formKey names no form: a generic form is shown)` });
      continue;
    }
    const body = proc!.userTaskForms?.[embedded];
    if (body === undefined) {
      warnings.push({ path: paths.xml, message: `流程中没有嵌入表单 ${embedded}，任务将显示通用表单 (no zeebe:userTaskForm ${embedded})` });
      continue;
    }
    try {
      for (const w of convertFormJs(body).warnings) warnings.push({ path: `${paths.xml}#${embedded}`, message: w });
    } catch (err) {
      warnings.push({ path: `${paths.xml}#${embedded}`, message: `嵌入表单 ${embedded} 无法读取，任务将显示通用表单: ${(err as Error).message}` });
    }
  }
  return { problems, warnings, name: proc?.name ?? null };
}
