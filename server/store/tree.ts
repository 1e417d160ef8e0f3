// The jurisdiction tree's one ordering rule, shared by store dumps and rule-set loading.

/** Items ordered so that each comes after its parent (a parent missing from the list counts as placed). */
export function parentsFirst<T>(items: T[], node: (item: T) => { id: string; parent?: string | null }): T[] {
  const ids = new Set(items.map((x) => node(x).id));
  const ordered: T[] = [];
  const placed = new Set<string>();
  while (ordered.length < items.length) {
    const next = items.filter((x) => {
      const { id, parent } = node(x);
      return !placed.has(id) && (!parent || placed.has(parent) || !ids.has(parent));
    });
    if (!next.length) throw new Error(`jurisdiction parents form a cycle: ${items.filter((x) => !placed.has(node(x).id)).map((x) => node(x).id).join(', ')}`);
    for (const x of next) (ordered.push(x), placed.add(node(x).id));
  }
  return ordered;
}
