// Timer start events in Zeebe mode. Zeebe fires a timer start for the latest version of a process
// id, whichever jurisdiction deployed it; Yishi keeps one schedule per jurisdiction where the
// process is in effect (domain/runtime/starts.ts), claimed once per firing. So the copy deployed
// to the broker has its process-level timer start events as none start events — same ids, so the
// history and the instance view are unchanged — and Yishi starts each firing's instance itself.
import type { Compiled } from '../../bpmn/read.js';

type Element = { $type: string; id?: string; flowElements?: Element[]; eventDefinitions?: Element[]; rootElements?: Element[] };

/** The ids of the start events of the processes (not of event sub-processes) that are timer starts. */
function timerStartIds(compiled: Compiled): string[] {
  const root = (compiled.moddle as { rootElement?: Element } | null)?.rootElement;
  return (root?.rootElements ?? [])
    .filter((p) => p.$type === 'bpmn:Process')
    .flatMap((p) => p.flowElements ?? [])
    .filter((e) => e.$type === 'bpmn:StartEvent' && e.eventDefinitions?.some((d) => d.$type === 'bpmn:TimerEventDefinition'))
    .map((e) => e.id!);
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The document as deployed to Zeebe: its timer start events without their timer. */
export function withoutTimerStarts(xml: string, compiled: Compiled): string {
  let out = xml;
  for (const id of timerStartIds(compiled)) {
    const start = new RegExp(`(<([\\w-]+:)?startEvent\\b[^>]*\\bid="${literal(id)}"[^>]*>)([\\s\\S]*?)(</\\2startEvent>)`);
    const timer = /<([\w-]+:)?timerEventDefinition\b[^>]*?(\/>|>[\s\S]*?<\/\1timerEventDefinition>)/;
    out = out.replace(start, (_m, open: string, _prefix, body: string, close: string) => open + body.replace(timer, '') + close);
  }
  return out;
}
