// What a browser downloads to show one page of the built designer: the entry chunk, the page's
// lazy chunk and every chunk and stylesheet they import statically (Vite's manifest), gzipped.
// Chunks a page loads later on demand (the FEEL interpreter, the case diagram) are not counted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The task page's budget: what a staff member on a phone waits for before the form shows. */
export const TASK_PAGE_BUDGET_KB = 300;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface PageWeight {
  /** The page's source, e.g. src/pages/Tasks.tsx. */
  page: string;
  files: string[];
  gzipKb: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function readManifest(dist: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
}

/** The files loaded before `page` renders, starting from the entry. */
export function pageFiles(manifest: Manifest, page: string): string[] {
  return [...filesOf(manifest, [entryOf(manifest), page])];
}

/** The files a lazily imported module (by its manifest key) brings beyond the entry's own. */
export function onDemandFiles(manifest: Manifest, key: string): string[] {
  const upFront = filesOf(manifest, [entryOf(manifest)]);
  return [...filesOf(manifest, [key])].filter((f) => !upFront.has(f));
}

function entryOf(manifest: Manifest): string {
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('no entry in the designer\'s manifest');
  return entry;
}

/** The chunks and stylesheets of the given manifest keys and everything they import statically. */
function filesOf(manifest: Manifest, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`no ${key} in the designer's manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return files;
}

/** Every lazily loaded page's initial weight, heaviest first. */
export function pageWeights(dist: string): PageWeight[] {
  const manifest = readManifest(dist);
  const gzipped = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length;
  return Object.values(manifest)
    .filter((c) => c.isDynamicEntry && c.src?.startsWith('src/pages/'))
    .map((c) => {
      const files = pageFiles(manifest, c.src!);
      return { page: c.src!, files, gzipKb: round(files.reduce((sum, f) => sum + gzipped(f), 0) / 1024) };
    })
    .sort((a, b) => b.gzipKb - a.gzipKb);
}
