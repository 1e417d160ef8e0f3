// Instances start in Yishi, never in the broker by itself, so that each is a Yishi instance where
// it belongs. Zeebe fires a timer start for the latest version of a process id, whichever
// jurisdiction deployed it, and starts an instance for a message or signal start event on any
// publish or broadcast, in any jurisdiction;
// Yishi keeps one timer schedule per jurisdiction where the process is in effect
// (domain/runtime/starts.ts), starts signal-start processes of the jurisdiction a signal is
// broadcast in (domain/runtime/signals.ts) and, on either engine, a message goes to waiting instances only. So
// the copy deployed to the broker has its process-level timer, message and signal start events as none
// start events: same ids, so the history and the instance view are unchanged.
import type { Compiled } from '../../bpmn/read.js';

type Element = { $type: string; id?: string; flowElements?: Element[]; eventDefinitions?: Element[]; rootElements?: Element[] };

const EVENT_STARTS = new Set(['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition']);

/** The ids of the start events of the processes (not of event sub-processes) that wait for a timer or a message. */
function eventStartIds(compiled: Compiled): string[] {
  const root = (compiled.moddle as { rootElement?: Element } | null)?.rootElement;
  return (root?.rootElements ?? [])
    .filter((p) => p.$type === 'bpmn:Process')
    .flatMap((p) => p.flowElements ?? [])
    .filter((e) => e.$type === 'bpmn:StartEvent' && e.eventDefinitions?.some((d) => EVENT_STARTS.has(d.$type)))
    .map((e) => e.id!);
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The document as deployed to Zeebe: its process-level timer and message start events as none start events. */
export function withoutEventStarts(xml: string, compiled: Compiled): string {
  let out = xml;
  for (const id of eventStartIds(compiled)) {
    const start = new RegExp(`(<([\\w-]+:)?startEvent\\b[^>]*\\bid="${literal(id)}"[^>]*>)([\\s\\S]*?)(</\\2startEvent>)`);
    const definition = /<([\w-]+:)?(timer|message|signal)EventDefinition\b[^>]*?(\/>|>[\s\S]*?<\/\1\2EventDefinition>)/;
    out = out.replace(start, (_m, open: string, _prefix, body: string, close: string) => open + body.replace(definition, '') + close);
  }
  return out;
}
