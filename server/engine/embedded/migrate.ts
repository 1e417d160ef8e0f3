// Migration of an embedded instance's state onto another version of its process: element
// instances and subscriptions keep their place, renamed as mapped. An element instance whose
// element changes gets a new ref, so what waited there (a user task) is a new wait of the new
// element, as Zeebe creates a new job for it; unchanged ones keep theirs (an open task stays open).
import { ROOT, type State } from './state.js';

export function migrateState(state: State, mapping: Record<string, string>, processId: string): State {
  const next: State = JSON.parse(JSON.stringify(state));
  const to = (el: string) => mapping[el] ?? el;
  const moved = new Map<string, string>();
  for (const [ref, item] of Object.entries(state.items)) {
    if (ref === ROOT) {
      next.items[ROOT]!.el = processId;
      continue;
    }
    if (to(item.el) === item.el) continue;
    const fresh = String(++next.seq);
    moved.set(ref, fresh);
    next.items[fresh] = { ...next.items[ref]!, el: to(item.el) };
    delete next.items[ref];
    if (next.vars[ref]) {
      next.vars[fresh] = next.vars[ref]!;
      delete next.vars[ref];
    }
  }
  const ref = (r: string) => moved.get(r) ?? r;
  for (const item of Object.values(next.items)) item.p = item.p && ref(item.p);
  for (const sub of Object.values(next.subs)) {
    sub.el = to(sub.el);
    sub.on = ref(sub.on);
  }
  // Completed activities keep what compensates them, under their new ids (a handler's too).
  for (const c of next.comp ?? []) {
    Object.assign(c, { el: to(c.el), scope: ref(c.scope), ...(c.h && { h: to(c.h) }), ...(c.thr && { thr: ref(c.thr) }), ...(c.hi && { hi: ref(c.hi) }) });
  }
  next.joins = Object.fromEntries(
    Object.entries(next.joins).map(([key, tokens]) => {
      const [scope, gateway] = key.split('|');
      return [`${ref(scope!)}|${to(gateway!)}`, tokens];
    }),
  );
  return next;
}
