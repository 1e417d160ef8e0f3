// The copy deployed to Zeebe names each signal after the instance's jurisdiction, so that the
// broker's cluster-wide broadcast stays in one jurisdiction.
import { describe, expect, it } from 'vitest';
import { evaluateFeel } from '../../server/feel/index.js';
import { brokerSignalName, JURISDICTION_VARIABLE, scopedSignals } from '../../server/engine/zeebe/signal-scope.js';

const unescape = (s: string) => s.replace(/&quot;/g, '"');
const nameIn = (xml: string, id: string) => unescape(new RegExp(`<bpmn:signal id="${id}" name="([^"]*)"`).exec(xml)![1]!);

describe('signals on the broker', () => {
  it('prefix every signal name, literal or FEEL, with the instance\'s jurisdiction; nothing else changes', () => {
    const xml = `<bpmn:definitions><bpmn:signal id="a" name="开会" /><bpmn:signal id="b" name="=&quot;散&quot; + &quot;会&quot;" /><bpmn:signal id="c" name="say &quot;hi&quot;" />
      <bpmn:process id="p"><bpmn:intermediateCatchEvent id="e" name="等开会"><bpmn:signalEventDefinition signalRef="a" /></bpmn:intermediateCatchEvent></bpmn:process></bpmn:definitions>`;
    const out = scopedSignals(xml);
    const scope = { [JURISDICTION_VARIABLE]: 'town-a' };
    expect(evaluateFeel(nameIn(out, 'a'), scope)).toBe(brokerSignalName('town-a', '开会'));
    expect(evaluateFeel(nameIn(out, 'b'), scope)).toBe('town-a/散会');
    expect(evaluateFeel(nameIn(out, 'c'), scope)).toBe('town-a/say "hi"');
    expect(out.replace(/<bpmn:signal [^>]*>/g, '')).toBe(xml.replace(/<bpmn:signal [^>]*>/g, ''));
  });
});
