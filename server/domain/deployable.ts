// Whether a BPMN text can be deployed as a process at a jurisdiction: the engine's own findings and
// the process id it must hold. A formKey naming no form there (own or inherited, or a Camunda Form
// embedded in the file) is a warning: a single deploy goes ahead and the task shows a generic form
// (Tasklist's behaviour); a rule-set bundle, which carries its forms, is refused.
// Single deploys (catalog.ts) and rule-set imports (rulesets.ts) ask the same question.
import type { Engine } from '../engine/index.js';
import type { FieldProblem } from '../errors.js';
import { convertFormJs } from '../forms/formjs.js';
import { embeddedFormId } from '../forms/keys.js';

export interface Deployable {
  problems: FieldProblem[];
  /**
   * Form keys that name no Yishi form (nor a Camunda Form embedded in the file): a single deploy goes ahead with them as warnings (Zeebe deploys
   * them too; the task shows a generic form), a rule-set bundle, which carries its forms, is refused.
   */
  warnings: FieldProblem[];
  /** The process's name, when the text holds the process. */
  name: string | null;
  /** The file's other executable processes: Zeebe deploys each as a process of its own, so does Yishi. */
  others: { key: string; name: string }[];
}

/** `paths` say where in the request the text and the key are, for the problems' field paths. */
/** Whether an embedded Camunda Form converts (what it cannot show as drawn becomes text fields). */
function readable(body: string | undefined): boolean {
  if (body === undefined) return false;
  try {
    convertFormJs(body);
    return true;
  } catch {
    return false;
  }
}

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
  if (!proc && !problems.length) problems.push({ path: paths.key, message: `BPMN 中没有 id 为 ${key} 的可执行流程 (process id must be ${key})` });
  // A key meant for a Camunda form or another task app: the task shows a generic form, as Tasklist does.
  const warnings: FieldProblem[] = [];
  for (const p of proc ? inspected.processes : []) {
    for (const formKey of p.formKeys) {
      const embedded = embeddedFormId(formKey);
      if (embedded === null ? forms.has(formKey) : readable(p.userTaskForms?.[embedded])) continue;
      warnings.push({ path: paths.xml, message: `表单 ${formKey} 在本辖区及上级中都不存在，任务将显示通用表单 (formKey does not resolve: a generic form is shown)` });
    }
  }
  const others = proc ? inspected.processes.filter((p) => p !== proc).map(({ key: k, name }) => ({ key: k, name })) : [];
  return { problems, warnings, name: proc?.name ?? null, others };
}
