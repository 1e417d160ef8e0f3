// What a task shows about its matter above its form: the variables its form document names
// (`context`: [{variable, title}]), read from what the task sees, as Zeebe's job variables are:
// the task's own locals (a multi-instance element) over the process's.
import { isPlainObject, type JsonObject } from '../../json.js';

export interface ContextEntry {
  /** A variable name, or a path into one (`assignment.grid`). */
  variable: string;
  title: string;
}

/** The variables a task sees that the process does not hold alike: kept with the task. */
export function localsOf(seen: JsonObject, processVariables: JsonObject): JsonObject | undefined {
  const own = Object.entries(seen).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(processVariables[k]));
  return own.length ? Object.fromEntries(own) : undefined;
}

const at = (variables: JsonObject, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (isPlainObject(v) ? v[key] : undefined), variables);

/** The declared entries that have a value, with their titles, in the form's order. */
export function taskContext(entries: ContextEntry[], variables: JsonObject): { title: string; value: unknown }[] {
  return entries.flatMap(({ variable, title }) => {
    const value = at(variables, variable);
    return value === undefined || value === null ? [] : [{ title, value }];
  });
}
