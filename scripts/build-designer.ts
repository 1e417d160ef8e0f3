// Builds the designer into designer/dist when its sources are newer than the last build (or
// --force), so `npm start` and the browser tests always serve what the sources say.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..', 'designer');
const output = path.join(root, 'dist', 'index.html');

function newest(dir: string): number {
  return Math.max(
    0,
    ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs;
    }),
  );
}

export async function buildDesigner(force = false): Promise<boolean> {
  const sources = Math.max(newest(path.join(root, 'src')), ...['index.html', 'vite.config.ts'].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  const lock = path.resolve(root, '..', 'package-lock.json');
  const inputs = Math.max(sources, fs.existsSync(lock) ? fs.statSync(lock).mtimeMs : 0);
  if (!force && fs.existsSync(output) && fs.statSync(output).mtimeMs >= inputs) return false;
  // Vitest sets NODE_ENV=test, which Vite would honour with React's development build: the tests
  // must see (and weigh) what `npm start` serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildDesigner(process.argv.includes('--force'));
  console.log(built ? 'designer: built designer/dist' : 'designer: designer/dist is up to date');
}
