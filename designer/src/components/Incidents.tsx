// The incidents of a case, each on its element: what stopped there in plain Chinese, the server's
// technical detail behind a toggle, and 重试这一步 for those who may (the rest of the case goes on).
import type { Instance } from '../api';
import { useT } from '../i18n';

const CJK = /[\u4e00-\u9fff]/;
const BRACKET = /\s*[(（]([^()（）]*)/g;

/**
 * What a person reads of an incident message: the server writes Chinese first and the technical
 * part (an expression, a value, Zeebe's own words) from the first bracket without Chinese on; that
 * part goes behind a toggle with the whole message. A message with no Chinese at all is all detail.
 */
export function incidentText(message: string): { text: string | null; detail: string | null } {
  for (const m of message.matchAll(BRACKET)) {
    const inner = m[1]!;
    if (!/[A-Za-z]/.test(inner) || CJK.test(inner)) continue;
    const text = message.slice(0, m.index);
    return { text: CJK.test(text) ? text : null, detail: message };
  }
  return CJK.test(message) ? { text: message, detail: null } : { text: null, detail: message };
}

interface Stopped {
  key: string;
  name: string;
  message: string;
  ref?: string;
}

/** Each element an incident stopped; a case stopped as a whole (its last command failed) shows its one incident. */
export function incidentsOf(i: Instance): Stopped[] {
  const at = i.active.flatMap((a) => (a.incident ? [{ key: a.incident.ref, name: a.name, message: a.incident.message, ref: a.incident.ref }] : []));
  if (at.length || !i.incident) return at;
  const name = i.active.find((a) => a.elementId === i.incident!.elementId)?.name ?? i.history.find((h) => h.elementId === i.incident!.elementId && h.type !== 'Incident')?.name;
  return [{ key: i.incident.elementId, name: name ?? '', message: i.incident.message }];
}

export function Incidents({ instance, mayRetry, retry }: { instance: Instance; mayRetry: boolean; retry: (ref?: string) => void }) {
  const t = useT();
  return (
    <>
      {incidentsOf(instance).map((s) => {
        const { text, detail } = incidentText(s.message);
        return (
          <div key={s.key} className="error incident" role="alert">
            {t('incident')}：{s.name || t('incidentStep')} — {text ?? t('incidentGeneric')}{' '}
            {mayRetry && (
              <button type="button" onClick={() => retry(s.ref)}>
                {t('retryStep')}
              </button>
            )}
            {detail && (
              <details>
                <summary>{t('technicalDetail')}</summary>
                <code>{detail}</code>
              </details>
            )}
          </div>
        );
      })}
    </>
  );
}
