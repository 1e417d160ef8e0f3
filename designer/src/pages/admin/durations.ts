// ISO 8601 durations as people say them: "P10D" ⇄ 10 天, "P2M" ⇄ 2 个月, "PT3H" ⇄ 3 小时.
export const DURATION_UNITS = [
  { unit: 'Y', label: '年', time: false },
  { unit: 'M', label: '个月', time: false },
  { unit: 'W', label: '周', time: false },
  { unit: 'D', label: '天', time: false },
  { unit: 'H', label: '小时', time: true },
  { unit: 'MIN', label: '分钟', time: true },
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

/** One amount in one unit, or null when the text is not such a duration (e.g. "P1DT2H"). */
export function splitDuration(iso: string): { amount: number; unit: DurationUnit } | null {
  const m = /^P(?:(\d+)([YMWD])|T(\d+)([HM]))$/.exec(iso);
  if (!m) return null;
  if (m[1]) return { amount: Number(m[1]), unit: m[2] as DurationUnit };
  return { amount: Number(m[3]), unit: m[4] === 'H' ? 'H' : 'MIN' };
}

export function joinDuration(amount: number, unit: DurationUnit): string {
  if (unit === 'H') return `PT${amount}H`;
  if (unit === 'MIN') return `PT${amount}M`;
  return `P${amount}${unit}`;
}

/** "10 天"; a duration of several parts is shown part by part ("1 天 2 小时"). */
export function describeDuration(iso: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const labels = ['年', '个月', '周', '天', '小时', '分钟', '秒'];
  const parts = m.slice(1).flatMap((v, i) => (v ? [`${v} ${labels[i]}`] : []));
  return parts.join(' ') || iso;
}
