// Shared by the crash suite, the Zeebe suite and the benchmark: one way through the shipped national P1.

/** Form data for each task of the shipped P1 on its shortest passing path (element id → data), in order. */
export const P1_PASSED: Record<string, Record<string, unknown>> = {
  collect: { reportDate: '2026-11-01', description: '小区停车位不足', reporter: '张三', channel: '热线电话' },
  screen: { admissible: true, category: '公共事务、公共环境、公益事业' },
  draft: { topic: '停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', committeeMembers: 7, committeePresent: 6, committeeFor: 5, dropTopic: false },
  research: { parties: ['村（居）民委员会', '户籍居民代表'], topicKind: '一般事项', consultationForm: '村（居）民议事会', convenor: '李书记', noticeDate: '2026-11-05', meetingDate: '2026-11-10', noticeContent: '停车管理恳谈会' },
  meeting: {
    subject: '停车管理', time: '2026-11-10T09:00:00Z', host: '李书记', place: '议事厅', recorder: '王五', expected: 9, present: 9,
    signIn: ['李书记', '王五', '赵一', '钱二', '孙三', '周四', '吴五', '郑六', '冯七'], agenda: ['介绍方案', '讨论', '表决'],
    speeches: [{ speaker: '赵一', points: '支持划线停车' }], minutes: '同意划线停车', voteMethod: '举手表决',
    votesFor: 8, votesAgainst: 1, abstain: 0, resolution: '划线停车', contested: false, hostSigned: true, recorderSigned: true,
  },
  legality: { reviewDate: '2026-11-11', reviewer: '街道司法所', lawful: true, opinion: '符合法律法规' },
  publication: { resultForm: '居民公约', channels: ['居务公开栏'], summary: '划线停车公约', implementerKind: '居民共同遵守' },
  publicity: { publicityStart: '2026-11-11', publicityEnd: '2026-11-18', places: ['居务公开栏'], objections: false },
  'supervise-residents': { progress: '已执行', completed: true, disclosed: true },
  feedback: { feedbackDate: '2026-11-20', recipients: ['反映人', '协商主体', '利益相关方', '居民'], method: '公开栏', content: '划线停车公约已执行' },
  'supervision-review': { reviewDate: '2026-11-21', verdict: '落实到位', opinion: '公约执行良好' },
  archive: { archiveNo: 'SQ-2026-001', archiveDate: '2026-11-21', materials: ['会议记录及签到簿', '会议决定、决议'] },
};

/** What the diagram's output mappings add on that path, for an engine run without them (the bare-engine baseline). */
export const P1_MAPPED = { topicApproved: true, topicDropped: false, noticeInTime: true, quorate: true, passed: true, publicityComplete: true, implementationAccepted: true };

/** A meeting record of the national form: `present` signed in, the others absent with a reason. */
export function meetingRecord(expected: number, present: number, votesFor: number, extra: Record<string, unknown> = {}) {
  return {
    ...P1_PASSED.meeting, expected, present, votesFor, votesAgainst: present - votesFor, abstain: 0,
    signIn: Array.from({ length: present }, (_, i) => `成员${i + 1}`),
    ...(expected > present && { absentees: Array.from({ length: expected - present }, (_, i) => ({ name: `缺席${i + 1}`, reason: '外出务工' })) }),
    ...extra,
  };
}
