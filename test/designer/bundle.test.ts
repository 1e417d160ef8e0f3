// The task page's download budget: the built designer (global setup) is weighed page by page from
// Vite's manifest, and the task page — what a staff member on a phone waits for — must stay under it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onDemandFiles, pageWeights, readManifest, TASK_PAGE_BUDGET_KB } from '../support/bundle.js';
import { ROOT } from '../support/server.js';

const dist = path.join(ROOT, 'designer/dist');

describe('designer bundle', () => {
  it(`loads the task page in at most ${TASK_PAGE_BUDGET_KB} KB gzip, with the FEEL interpreter and the diagram viewer left out until needed`, () => {
    const weights = pageWeights(dist);
    const tasks = weights.find((w) => w.page === 'src/pages/Tasks.tsx');
    expect(tasks, 'the task page is a lazily loaded page').toBeDefined();
    console.log(weights.map((w) => `${w.page.padEnd(28)} ${w.gzipKb} KB`).join('\n'));
    expect(tasks!.gzipKb).toBeLessThanOrEqual(TASK_PAGE_BUDGET_KB);
    // The FEEL interpreter (forms with rules) and the case diagram's viewer (bpmn-js, opened on
    // request) are chunks of their own, none of whose files the task page loads up front.
    const manifest = readManifest(dist);
    const feelin = Object.keys(manifest).find((src) => src.includes('node_modules/feelin/'));
    for (const key of [feelin!, 'src/components/CaseDiagramView.tsx']) {
      expect(manifest[key]?.isDynamicEntry, key).toBe(true);
      const later = onDemandFiles(manifest, key);
      expect(later.length, key).toBeGreaterThan(0);
      expect(tasks!.files.filter((f) => later.includes(f)), key).toEqual([]);
    }
  });
});
