// 统计: a jurisdiction's cases in a quarter by process, class, category and status, with the
// overdue count and average days to close. ECharts is imported by this page only (its own chunk).
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { Count } from '../api/stats';
import { Async, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { quarterOf } from '../components/prefill';
import { useT } from '../i18n';
import { useSession, useWorkingJurisdiction } from '../session';
import './officials.css';

/** The headline figures, in the order shown. */
const FIGURES = [['total', 'total'], ['open', 'openCases'], ['closed', 'closed'], ['overdue', 'overdueCases'], ['avgDaysToClose', 'avgDaysToClose']] as const;

async function loadCharts() {
  const [core, charts, components, renderers] = await Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]);
  core.use([charts.BarChart, charts.PieChart, components.TooltipComponent, components.GridComponent, components.TitleComponent, renderers.CanvasRenderer]);
  return core;
}

function Chart({ title, counts, kind }: { title: string; counts: Count[]; kind: 'bar' | 'pie' }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { dispose(): void } | null = null;
    let gone = false;
    void loadCharts().then((echarts) => {
      if (gone || !ref.current) return;
      const c = echarts.init(ref.current);
      chart = c;
      const data = counts.map((x) => ({ name: x.label, value: x.count }));
      c.setOption(
        kind === 'pie'
          ? { animation: false, title: { text: title, left: 'center', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' }, series: [{ type: 'pie', radius: '60%', top: 30, data, label: { formatter: '{b}：{c}' } }] }
          : {
              animation: false, title: { text: title, left: 'center', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, bottom: 60, top: 40 },
              xAxis: { type: 'category', data: data.map((d) => d.name), axisLabel: { interval: 0, rotate: data.length > 4 ? 30 : 0 } }, yAxis: { type: 'value', minInterval: 1 },
              series: [{ type: 'bar', data: data.map((d) => d.value), itemStyle: { color: '#b8322a' } }],
            },
      );
    });
    return () => {
      gone = true;
      chart?.dispose();
    };
  }, [title, counts, kind]);
  return <div className="stats-chart" ref={ref} role="img" aria-label={`${title}：${counts.map((c) => `${c.label} ${c.count}`).join('，')}`} />;
}

export default function Stats() {
  const t = useT();
  const { user } = useSession();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction([...new Set((user?.memberships ?? []).flatMap((m) => m.roles))]);
  const [period, setPeriod] = useState(() => quarterOf(new Date()));
  const figures = useAsync(() => api.stats.get({ jurisdiction, period }), [jurisdiction, period]);
  return (
    <div className="stats">
      <h1>{t('stats')}</h1>
      <div className="filters">
        <JurisdictionPicker value={jurisdiction} onChange={choose} allowed={allowed} />
        <label>
          {t('quarter')} <input name="period" value={period} onChange={(e) => setPeriod(e.target.value.trim())} placeholder="2026Q4" size={9} />
        </label>
      </div>
      <Async state={figures}>
        {(s) => (
          <>
            <div className="stats-figures">
              {FIGURES.map(([figure, label]) => (
                <div key={figure}>
                  {t(label)} <strong data-figure={figure}>{s[figure] ?? '—'}</strong>
                </div>
              ))}
            </div>
            <div className="stats-charts">
              <Chart title={t('byProcess')} counts={s.byProcess} kind="bar" />
              <Chart title={t('byClass')} counts={s.byClass} kind="pie" />
              <Chart title={t('byCategory')} counts={s.byCategory} kind="bar" />
              <Chart title={t('byStatus')} counts={s.byStatus} kind="pie" />
            </div>
          </>
        )}
      </Async>
    </div>
  );
}
