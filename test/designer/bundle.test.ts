// The task page's download budget: the built designer (global setup) is weighed page by page from
// Vite's manifest, and the task page — what a staff member on a phone waits for — must stay under it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageWeights, readManifest, TASK_PAGE_BUDGET_KB } from '../support/bundle.js';
import { ROOT } from '../support/server.js';

const dist = path.join(ROOT, 'designer/dist');

describe('designer bundle', () => {
  it(`loads the task page in at most ${TASK_PAGE_BUDGET_KB} KB gzip, with the FEEL interpreter and bpmn-js left out until needed`, () => {
    const weights = pageWeights(dist);
    const tasks = weights.find((w) => w.page === 'src/pages/Tasks.tsx');
    expect(tasks, 'the task page is a lazily loaded page').toBeDefined();
    console.log(weights.map((w) => `${w.page.padEnd(28)} ${w.gzipKb} KB`).join('\n'));
    expect(tasks!.gzipKb).toBeLessThanOrEqual(TASK_PAGE_BUDGET_KB);
    // The FEEL interpreter is its own chunk, loaded on demand by forms with rules only.
    const feelin = Object.entries(readManifest(dist)).find(([src]) => src.includes('node_modules/feelin/'));
    expect(feelin?.[1].isDynamicEntry).toBe(true);
    expect(tasks!.files).not.toContain(feelin![1].file);
  });
});
