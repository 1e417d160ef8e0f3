// npm run migrate -- <from> <to>: copies a whole installation between stores, e.g.
//   npm run migrate -- sqlite:./data/yishi.db mongodb://db.example:27017/yishi
// Stop the server first; the target must be empty. Sessions are not copied (users sign in again).
import { copyStore } from '../store/copy.js';
import { openStoreAt } from '../store/open.js';

async function main([from, to]: string[]): Promise<number> {
  if (!from || !to) {
    console.error('usage: npm run migrate -- <sqlite:file|mongodb://…> <sqlite:file|mongodb://…>');
    return 2;
  }
  const source = await openStoreAt(from);
  const target = await openStoreAt(to);
  try {
    const report = await copyStore(source, target);
    console.log(`copied ${from} → ${to}: ${JSON.stringify(report)}`);
    return 0;
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`migrate: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
