// The form document's FEEL rules, checked in the browser as the user types, with the same
// expressions and messages the server checks on submit.
import { evaluate } from 'feelin';
import type { FeelRule } from './api';

export function brokenRules(rules: FeelRule[] | undefined, data: Record<string, unknown>): FeelRule[] {
  return (rules ?? []).filter((rule) => {
    try {
      const { value } = evaluate(rule.expression.replace(/^=/, ''), data);
      return value === false; // null (fields not filled yet) is left to the schema's required
    } catch {
      return false;
    }
  });
}
