// Edits of a 流程简图 as the page makes them: on a copy of the flow, by node and list id (the main
// list is 'main', a branch path's list its id), so nested branches edit like the top level.
import type { FlowNode, SimpleFlow } from './flow.js';

export const MAIN = 'main';

/** The list with this id: the flow's own or a branch path's. */
export function listOf(flow: SimpleFlow, listId: string): FlowNode[] | undefined {
  if (listId === MAIN) return flow.nodes;
  const search = (nodes: FlowNode[]): FlowNode[] | undefined => {
    for (const n of nodes) {
      if (n.kind !== 'branch') continue;
      for (const p of n.paths) if (p.id === listId) return p.nodes;
      for (const p of n.paths) {
        const found = search(p.nodes);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(flow.nodes);
}

/** A changed copy of the flow: `change` edits the list `listId` of the copy in place. */
export function editList(flow: SimpleFlow, listId: string, change: (list: FlowNode[], draft: SimpleFlow) => void): SimpleFlow {
  const draft = structuredClone(flow);
  const list = listOf(draft, listId);
  if (list) change(list, draft);
  return draft;
}

export const insertAt = (flow: SimpleFlow, listId: string, index: number, node: FlowNode) => editList(flow, listId, (list) => void list.splice(index, 0, node));
export const removeAt = (flow: SimpleFlow, listId: string, index: number) => editList(flow, listId, (list) => void list.splice(index, 1));
export const replaceAt = (flow: SimpleFlow, listId: string, index: number, node: FlowNode) => editList(flow, listId, (list) => void list.splice(index, 1, node));
export function moveAt(flow: SimpleFlow, listId: string, index: number, delta: -1 | 1) {
  return editList(flow, listId, (list) => {
    const to = index + delta;
    if (to < 0 || to >= list.length) return;
    [list[index], list[to]] = [list[to]!, list[index]!];
  });
}
