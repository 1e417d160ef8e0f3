// Parameter declarations: what each rule-set parameter is (type, unit, bounds, Chinese label and
// help), declared in a rule set's `parameterTypes` and inherited like parameters, so a child
// cannot set a deadline to "abc" or a ratio below zero, and the editor can explain each value.
import type { FieldProblem } from '../errors.js';
import { isPlainObject, type JsonObject } from '../json.js';

export type ParameterType = 'duration' | 'number' | 'ratio' | 'boolean' | 'text' | 'table';

export interface ParameterDeclaration {
  type: ParameterType;
  label: string;
  help?: string;
  unit?: string;
  /** Bounds: numbers for number/ratio, ISO 8601 durations for duration. */
  min?: number | string;
  max?: number | string;
  integer?: boolean;
  /** text: the value's shape, checked here and never shown to a person. */
  pattern?: string;
  /** table: {key → one of options}; the labels of its two columns. */
  options?: string[];
  keyLabel?: string;
  valueLabel?: string;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration in seconds (a month counted as 30 days, a year as 365), for bounds; null when it is not one. */
export function durationSeconds(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60) + s;
}

/** Every problem of one value against its declaration; `path` is where the value sits in the request. */
export function checkParameter(value: unknown, decl: ParameterDeclaration, path: string): FieldProblem[] {
  const problem = (message: string) => [{ path, message: `${decl.label}：${message}` }];
  if (value === null) return [];
  switch (decl.type) {
    case 'duration': {
      const seconds = typeof value === 'string' ? durationSeconds(value) : null;
      if (seconds === null) return problem('应为时长，如 P10D（10 天） (must be an ISO 8601 duration)');
      if (typeof decl.min === 'string' && seconds < durationSeconds(decl.min)!) return problem(`不能短于 ${decl.min} (below the minimum)`);
      if (typeof decl.max === 'string' && seconds > durationSeconds(decl.max)!) return problem(`不能长于 ${decl.max} (above the maximum)`);
      return [];
    }
    case 'number':
    case 'ratio': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return problem('应为数字 (must be a number)');
      const min = typeof decl.min === 'number' ? decl.min : decl.type === 'ratio' ? 0 : undefined;
      const max = typeof decl.max === 'number' ? decl.max : decl.type === 'ratio' ? 1 : undefined;
      if (decl.integer && !Number.isInteger(value)) return problem('应为整数 (must be an integer)');
      if (min !== undefined && value < min) return problem(`不能小于 ${min} (below the minimum)`);
      if (max !== undefined && value > max) return problem(`不能大于 ${max} (above the maximum)`);
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : problem('应为“是”或“否” (must be true or false)');
    case 'text':
      if (typeof value !== 'string') return problem('应为文字 (must be a string)');
      if (decl.pattern && !new RegExp(decl.pattern).test(value)) return problem('格式不符 (does not match the expected form)');
      return [];
    case 'table': {
      if (!isPlainObject(value)) return problem('应为表格 (must be an object of rows)');
      return Object.entries(value).flatMap(([key, cell]) =>
        decl.options && !(typeof cell === 'string' && decl.options.includes(cell))
          ? [{ path: `${path}/${key}`, message: `${decl.label}：“${key}”应为 ${decl.options.join('、')} 之一 (must be one of the options)` }]
          : [],
      );
    }
  }
}

/** Every problem of a set of parameter values against the declarations in force. */
export function checkParameters(values: JsonObject, declarations: Record<string, ParameterDeclaration>, path = '/parameters'): FieldProblem[] {
  return Object.entries(values).flatMap(([name, value]) => (declarations[name] ? checkParameter(value, declarations[name], `${path}/${name}`) : []));
}

/** Problems of declarations themselves beyond their JSON shape: bounds of the declared kind. */
export function checkDeclarations(declarations: Record<string, ParameterDeclaration>, path = '/parameterTypes'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, d] of Object.entries(declarations)) {
    for (const bound of ['min', 'max'] as const) {
      const b = d[bound];
      if (b === undefined) continue;
      const ok = d.type === 'duration' ? typeof b === 'string' && durationSeconds(b) !== null : (d.type === 'number' || d.type === 'ratio') && typeof b === 'number';
      if (!ok) problems.push({ path: `${path}/${name}/${bound}`, message: `界限与类型 ${d.type} 不符 (bound does not fit the type)` });
    }
    if (d.pattern !== undefined) {
      try {
        new RegExp(d.pattern);
      } catch {
        problems.push({ path: `${path}/${name}/pattern`, message: '格式规则无效 (invalid pattern)' });
      }
    }
  }
  return problems;
}
