// The form document's FEEL rules, checked in the browser as the user types, with the same
// expressions and messages the server checks on submit. The FEEL interpreter (feelin with its
// Temporal polyfill and parser, ~70 KB gzip) loads only for forms that have rules, so the task
// page stays light; until it has loaded, the server's check on submit still reports every rule.
import { useEffect, useState } from 'react';
import type { FeelRule } from './api';

type Evaluate = typeof import('feelin').evaluate;
let feel: Promise<Evaluate> | undefined;
const loadFeel = () => (feel ??= import('feelin').then((m) => m.evaluate));

function brokenRules(evaluate: Evaluate, rules: FeelRule[], data: Record<string, unknown>): FeelRule[] {
  return rules.filter((rule) => {
    try {
      const { value } = evaluate(rule.expression.replace(/^=/, ''), data);
      return value === false; // null (fields not filled yet) is left to the schema's required
    } catch {
      return false;
    }
  });
}

/** The rules the data breaks; none while the interpreter is still loading. */
export function useBrokenRules(rules: FeelRule[] | undefined): (data: Record<string, unknown>) => FeelRule[] {
  const [evaluate, setEvaluate] = useState<Evaluate | null>(null);
  const wanted = Boolean(rules?.length);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void loadFeel().then((e) => live && setEvaluate(() => e));
    return () => {
      live = false;
    };
  }, [wanted]);
  return (data) => (evaluate && rules ? brokenRules(evaluate, rules, data) : []);
}
