// DMN decisions evaluated with Zeebe's (dmn-scala's) meaning: hit policies, result shapes, defaults,
// required decisions, and the deploy problems that make Zeebe refuse a document.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecisionError, evaluateDecision } from '../../server/dmn/evaluate.js';
import { readDmn } from '../../server/dmn/read.js';
import { dmn, type TableSpec } from '../support/dmn.js';

const SEASON_RULES: [string[], string[]][] = [
  [['"Winter"', '<= 8'], ['"Spareribs"', '1']],
  [['"Winter"', '> 8'], ['"Pasta"', '2']],
  [['"Summer"', '> 10'], ['"Light salad"', '3']],
  [['"Summer"', '<= 10'], ['"Beans salad"', '4']],
  [['"Spring", "Autumn"', '-'], ['"Stew"', '5']],
];

async function decide(table: Partial<TableSpec> & Pick<TableSpec, 'rules'>, vars: Record<string, unknown>) {
  const spec: TableSpec = { id: 'dish', inputs: ['season', 'guestCount'], outputs: [{ name: 'dish' }], ...table };
  const drg = await readDmn(dmn('dinner', [spec]));
  expect(drg.problems).toEqual([]);
  return evaluateDecision(drg, 'dish', vars as never);
}

describe('DMN decision tables', () => {
  it('UNIQUE gives the one matching output value; no match gives null', async () => {
    const rules = SEASON_RULES.map(([i, o]) => [i, [o[0]!]] as [string[], string[]]);
    expect(await decide({ rules }, { season: 'Winter', guestCount: 4 })).toBe('Spareribs');
    expect(await decide({ rules }, { season: 'Autumn', guestCount: 40 })).toBe('Stew');
    expect(await decide({ rules }, { season: 'Monsoon', guestCount: 4 })).toBeNull();
  });

  it('UNIQUE with two matching rules fails, FIRST takes the first, ANY accepts equal outputs only', async () => {
    const rules: [string[], string[]][] = [[['"Winter"', '-'], ['"Soup"']], [['-', '> 2'], ['"Soup"']], [['-', '> 5'], ['"Pasta"']]];
    await expect(decide({ rules }, { season: 'Winter', guestCount: 3 })).rejects.toThrow(DecisionError);
    expect(await decide({ rules, hitPolicy: 'FIRST' }, { season: 'Winter', guestCount: 9 })).toBe('Soup');
    expect(await decide({ rules, hitPolicy: 'ANY' }, { season: 'Winter', guestCount: 3 })).toBe('Soup');
    await expect(decide({ rules, hitPolicy: 'ANY' }, { season: 'Winter', guestCount: 9 })).rejects.toThrow(/ANY/);
  });

  it('several output columns give a context; RULE ORDER and COLLECT a list of them', async () => {
    const outputs = [{ name: 'dish' }, { name: 'rank' }];
    expect(await decide({ rules: SEASON_RULES, outputs }, { season: 'Summer', guestCount: 12 })).toEqual({ dish: 'Light salad', rank: 3 });
    const overlapping: [string[], string[]][] = [[['-', '> 2'], ['"Soup"', '1']], [['"Winter"', '-'], ['"Roast"', '2']]];
    expect(await decide({ rules: overlapping, outputs, hitPolicy: 'RULE ORDER' }, { season: 'Winter', guestCount: 3 })).toEqual([
      { dish: 'Soup', rank: 1 },
      { dish: 'Roast', rank: 2 },
    ]);
    expect(await decide({ rules: overlapping.map(([i, o]) => [i, [o[0]!]]), hitPolicy: 'COLLECT' }, { season: 'Winter', guestCount: 3 })).toEqual(['Soup', 'Roast']);
  });

  it('COLLECT aggregates with SUM, MIN, MAX and COUNT; no match is null as in Zeebe', async () => {
    const rules: [string[], string[]][] = [[['-', '> 2'], ['10']], [['"Winter"', '-'], ['4']], [['-', '> 100'], ['1']]];
    const vars = { season: 'Winter', guestCount: 3 };
    expect(await decide({ rules, hitPolicy: 'COLLECT', aggregation: 'SUM' }, vars)).toBe(14);
    expect(await decide({ rules, hitPolicy: 'COLLECT', aggregation: 'MIN' }, vars)).toBe(4);
    expect(await decide({ rules, hitPolicy: 'COLLECT', aggregation: 'MAX' }, vars)).toBe(10);
    expect(await decide({ rules, hitPolicy: 'COLLECT', aggregation: 'COUNT' }, vars)).toBe(2);
    expect(await decide({ rules, hitPolicy: 'COLLECT', aggregation: 'COUNT' }, { season: 'Summer', guestCount: 1 })).toBeNull();
    expect(await decide({ rules, hitPolicy: 'COLLECT' }, { season: 'Summer', guestCount: 1 })).toBeNull();
  });

  it('PRIORITY and OUTPUT ORDER rank by the output values', async () => {
    const outputs = [{ name: 'level', values: '"high","medium","low"' }];
    const rules: [string[], string[]][] = [[['-', '> 1'], ['"low"']], [['"Winter"', '-'], ['"high"']], [['-', '> 2'], ['"medium"']]];
    const vars = { season: 'Winter', guestCount: 3 };
    expect(await decide({ rules, outputs, hitPolicy: 'PRIORITY' }, vars)).toBe('high');
    expect(await decide({ rules, outputs, hitPolicy: 'OUTPUT ORDER' }, vars)).toEqual(['high', 'medium', 'low']);
  });

  it('no match falls back on the outputs’ default entries', async () => {
    const outputs = [{ name: 'dish', default: '"Bread"' }];
    expect(await decide({ rules: [[['"Winter"', '-'], ['"Soup"']]], outputs }, { season: 'Summer', guestCount: 1 })).toBe('Bread');
  });

  it('FEEL in inputs and outputs sees the variables; a required decision is visible by its variable name', async () => {
    const table: TableSpec = {
      id: 'fee', inputs: ['applicant.age', 'band'], outputs: [{ name: 'fee' }], requires: ['bandOf'],
      rules: [[['< 18', '-'], ['0']], [['>= 18', '"A"'], ['base * 2']], [['>= 18', 'not("A")'], ['base']]],
    };
    const drg = await readDmn(dmn('fees', [table], [{ id: 'bandOf', variable: 'band', expression: 'if applicant.income > 1000 then "A" else "B"' }]));
    expect(drg.problems).toEqual([]);
    expect(evaluateDecision(drg, 'fee', { applicant: { age: 30, income: 5000 }, base: 7 })).toBe(14);
    expect(evaluateDecision(drg, 'fee', { applicant: { age: 30, income: 50 }, base: 7 })).toBe(7);
    expect(evaluateDecision(drg, 'fee', { applicant: { age: 12, income: 50 }, base: 7 })).toBe(0);
    expect(evaluateDecision(drg, 'bandOf', { applicant: { income: 5000 } })).toBe('A');
  });

  it('reports what Zeebe refuses: bad FEEL, unnamed compound outputs, missing required decisions', async () => {
    const bad = await readDmn(
      dmn('bad', [
        { id: 'a', inputs: ['x +'], outputs: [{ name: 'o' }], rules: [[['[1..'], ['"x"']]] },
        { id: 'b', inputs: ['x'], outputs: [{ name: '' }, { name: 'p' }], rules: [], requires: ['missing'] },
        { id: 'c', inputs: ['x'], outputs: [{ name: 'o' }, { name: 'p' }], rules: [], hitPolicy: 'COLLECT', aggregation: 'SUM' },
      ]),
    );
    const messages = bad.problems.map((p) => `${p.elementId}: ${p.message}`).join('\n');
    expect(messages).toMatch(/^a: .*第 1 个输入/m);
    expect(messages).toMatch(/^rule_a_0: .*条件/m);
    expect(messages).toMatch(/^b: .*需要名称/m);
    expect(messages).toMatch(/^b: .*missing/m);
    expect(messages).toMatch(/^c: .*汇总/m);
    expect((await readDmn('<definitions')).problems[0]!.message).toMatch(/无法解析/);
  });

  it('the 三事 class table as DMN gives, for every category, the class the township-triage rule set names', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const drg = await readDmn(fs.readFileSync(path.join(root, 'test/differential/corpus/triage-class.dmn'), 'utf8'));
    const table = JSON.parse(fs.readFileSync(path.join(root, 'processes/township-triage/jurisdiction.json'), 'utf8')).parameters.categoryClass as Record<string, string>;
    expect(Object.keys(table).length).toBeGreaterThan(20);
    for (const [category, cls] of Object.entries(table)) expect(evaluateDecision(drg, 'triageClass', { category }), category).toBe(cls);
    expect(evaluateDecision(drg, 'triageClass', { category: '其他' })).toBeNull();
  });
});
