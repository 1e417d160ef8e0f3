// Internal service-task handlers, named by zeebe:taskDefinition type and configured by task
// headers (literal or FEEL), so a rule set uses them without code.
import type { ServiceHandler } from '../engine/index.js';
import { resolveText, evaluateFeel, isFeel } from '../feel/index.js';
import type { JsonObject } from '../store/index.js';

const pick = (variables: JsonObject, fields: string | undefined): JsonObject => {
  if (!fields) return variables;
  const names = fields.split(',').map((f) => f.trim()).filter(Boolean);
  return Object.fromEntries(names.filter((n) => n in variables).map((n) => [n, variables[n]]));
};

export const internalHandlers: Record<string, ServiceHandler> = {
  /** Publishes the result on the public page: header title (text or FEEL), fields (variables to show). */
  'publish-result': ({ variables, params, headers }) => {
    const scope = { ...variables, params };
    const title = resolveText(headers.title, scope) ?? '协商结果';
    const publishedAt = new Date().toISOString();
    return {
      variables: { published: true, publishedAt },
      effects: [{ type: 'publish-result', title, content: pick(variables, headers.fields) }],
    };
  },
  /** Sets each header as a variable: {overdue: "=true"} marks a case overdue. */
  'set-variables': ({ variables, params, headers }) => ({
    variables: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, isFeel(value) ? evaluateFeel(value, { ...variables, params }) : value]),
    ),
  }),
  /** Records a notice to a group (header to, message) in the case's notifications. */
  notify: ({ variables, params, headers }) => {
    const scope = { ...variables, params };
    const notice = { to: resolveText(headers.to, scope), message: resolveText(headers.message, scope), at: new Date().toISOString() };
    const previous = Array.isArray(variables.notifications) ? variables.notifications : [];
    return { variables: { notifications: [...previous, notice] } };
  },
};
