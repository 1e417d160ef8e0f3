// Signals stay in their jurisdiction on Zeebe too. The broker broadcasts to every instance of the
// cluster, so the copy deployed to it names each signal after the instance's jurisdiction (a
// variable Yishi sets when it starts the instance): a catch waits for, and a throw broadcasts,
// "<jurisdiction>/<name>", and a broadcast through Yishi is sent under that name.

/** The variable holding the instance's jurisdiction on the broker (Yishi's own, not the case's). */
export const JURISDICTION_VARIABLE = 'yishiJurisdiction';

/** The name a signal has on the broker for instances of a jurisdiction. */
export const brokerSignalName = (jurisdiction: string, name: string) => `${jurisdiction}/${name}`;

const feelString = (text: string) => `&quot;${text.replace(/\\/g, '\\\\').replace(/&quot;/g, '\\&quot;')}&quot;`;

/** The document with every signal's name (a literal, or FEEL) prefixed by the instance's jurisdiction, as FEEL. */
export function scopedSignals(xml: string): string {
  return xml.replace(/<([\w-]+:)?signal\b[^>]*>/g, (tag) =>
    tag.replace(/\bname="([^"]*)"/, (_m, name: string) => {
      const value = name.startsWith('=') ? `(${name.slice(1)})` : feelString(name);
      // string(): an instance started before signals were scoped has no such variable, and waits under "null/…".
      return `name="=string(${JURISDICTION_VARIABLE}) + &quot;/&quot; + ${value}"`;
    }),
  );
}
