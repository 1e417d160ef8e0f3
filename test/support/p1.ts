// Shared by the crash suite and the benchmark: one way through the shipped national P1.

/** Form data for each task of the shipped P1 on its shortest passing path (element id → data), in order. */
export const P1_PASSED: Record<string, Record<string, unknown>> = {
  collect: { date: '2026-11-01', description: '小区停车位不足', reporter: '张三', channel: '热线电话' },
  screen: { admissible: true, category: '公共事务、公共环境、公益事业' },
  draft: { topic: '停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', approved: true },
  research: { parties: ['村（居）民委员会', '户籍居民代表'], topicKind: '面上公共事务', consultationForm: '民主恳谈会', convenor: '李书记', noticeDate: '2026-11-05', noticeContent: '停车管理恳谈会' },
  meeting: { time: '2026-11-10T09:00:00Z', host: '李书记', place: '议事厅', expected: 9, present: 9, recorder: '王五', minutes: '同意划线停车', resolution: '划线停车', votesFor: 8, votesAgainst: 1, abstain: 0, contested: false },
  publication: { resultForm: '居民公约', channels: ['居务公开栏'], summary: '划线停车公约', implementerKind: '居民共同遵守' },
  'supervise-residents': { progress: '已执行', completed: true, disclosed: true },
};
