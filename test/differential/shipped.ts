// Every shipped diagram under processes/, driven along one or more paths with the parameters its
// jurisdiction ships (its own over its parent's), deadlines shortened to seconds where the path
// waits for one.
import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../../server/json.js';
import { P1_PASSED } from '../support/p1.js';
import type { Action, Case } from './script.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A jurisdiction's effective parameters: its own over its parent's, recursively. */
function params(jurisdiction: string, overrides: JsonObject = {}): JsonObject {
  const j = JSON.parse(fs.readFileSync(path.join(ROOT, 'processes', jurisdiction, 'jurisdiction.json'), 'utf8'));
  return { ...(j.parent ? params(j.parent) : {}), ...j.parameters, ...overrides };
}

/** Completes the P1 tasks in order with their form data, up to (not including) `until`. */
function p1(data: Record<string, JsonObject>, until?: string): Action[] {
  const ids = Object.keys(data);
  return ids.slice(0, until ? ids.indexOf(until) : ids.length).flatMap((id) => [{ expect: [id] }, { complete: id, variables: data[id] }]);
}

const research = { ...P1_PASSED.research, noticeMethod: ['书面通知'], noticeDocument: '嘎查〔2026〕1号' };

const CLOSING = ['feedback', 'supervision-review', 'archive'].flatMap((id): Action[] => [{ expect: [id] }, { complete: id, variables: P1_PASSED[id] as JsonObject }]);

export const SHIPPED: Case[] = [
  {
    name: 'shipped national P1: passed, residents comply',
    covers: 'processes/national/consultation.bpmn: the shortest passing path, quorum and majority over params, 公示 with its period, feedback, review, archive',
    file: 'processes/national/consultation.bpmn',
    params: params('national'),
    steps: p1(P1_PASSED as Record<string, JsonObject>),
    end: 'completed',
    variables: { passed: true, quorate: true, published: true, topicApproved: true, noticeInTime: true, publicityComplete: true, implementationAccepted: true, archiveNo: 'SQ-2026-001' },
  },
  {
    name: 'shipped national P1: not admissible',
    covers: 'processes/national/consultation.bpmn: screening refuses, written reply, end',
    file: 'processes/national/consultation.bpmn',
    params: params('national'),
    steps: [
      { complete: 'collect', variables: P1_PASSED.collect as JsonObject },
      { complete: 'screen', variables: { admissible: false, category: '其他', rejectReason: '违反法律法规' } },
      { expect: ['reply-rejection'] },
      { complete: 'reply-rejection', variables: { replied: true } },
    ],
    end: 'completed',
    variables: { admissible: false, category: null, rejectReason: '违反法律法规' },
  },
  {
    name: 'shipped national P1: the assembly does not pass it',
    covers: 'processes/national/consultation.bpmn: 7 of 21 members is no majority, the assembly without quorum meets again, its 不通过 is published and answered, nothing carried out',
    file: 'processes/national/consultation.bpmn',
    params: params('national'),
    steps: [
      ...p1(P1_PASSED as Record<string, JsonObject>, 'meeting'),
      { complete: 'meeting', variables: { ...P1_PASSED.meeting, expected: 21, present: 12, votesFor: 7 } as JsonObject },
      { expect: ['assembly'] },
      { complete: 'assembly', variables: { assemblyType: '村（居）民会议', assemblyExpected: 120, assemblyPresent: 50, assemblyFor: 50, resolution: '限定时间' } },
      { expect: ['assembly'] },
      { complete: 'assembly', variables: { assemblyType: '村（居）民会议', assemblyExpected: 120, assemblyPresent: 70, assemblyFor: 55, resolution: '限定时间' } },
      { expect: ['reply-not-passed'] },
      { complete: 'reply-not-passed', variables: { replied: true } },
    ],
    end: 'completed',
    variables: { quorate: true, passed: false, votesFor: 55, decidedBy: '村（居）民会议', published: true },
  },
  {
    name: 'shipped national P1: community implements late, in two stages',
    covers: 'processes/national/consultation.bpmn: cross-village lead per village (multi-instance; one disagrees, all settle again), non-interrupting deadline (1 s here) alerts supervision while the task stays, interim progress published and the task again',
    file: 'processes/national/consultation.bpmn',
    params: params('national', { implementationDeadline: 'PT1S' }),
    steps: [
      ...p1({ ...P1_PASSED, research: { ...P1_PASSED.research, topicKind: '跨村（社区）事项', villages: ['甲村', '乙村'] } } as Record<string, JsonObject>, 'meeting'),
      { expect: ['township-lead', 'township-lead'] },
      { complete: 'township-lead', where: { village: '乙村' }, variables: { villageAgreed: false } },
      { complete: 'township-lead', where: { village: '甲村' }, variables: { villageAgreed: true } },
      { expect: ['township-lead', 'township-lead'] },
      { complete: 'township-lead', where: { village: '甲村' }, variables: { villageAgreed: true } },
      { complete: 'township-lead', where: { village: '乙村' }, variables: { villageAgreed: true } },
      { expect: ['meeting'] },
      { complete: 'meeting', variables: P1_PASSED.meeting as JsonObject },
      { complete: 'legality', variables: P1_PASSED.legality as JsonObject },
      { complete: 'publication', variables: { ...P1_PASSED.publication, implementerKind: '社区（村）落实' } as JsonObject },
      { complete: 'publicity', variables: P1_PASSED.publicity as JsonObject },
      { expect: ['implement-community'] },
      { sleep: 1600 },
      { expect: ['implement-community'] },
      { complete: 'implement-community', variables: { progress: '已完成一半', completed: false } },
      { expect: ['implement-community'] },
      { complete: 'implement-community', variables: { progress: '已完成', completed: true } },
      ...CLOSING,
    ],
    end: 'completed',
    variables: { topicKind: '跨村（社区）事项', villageAgreements: [true, true], implementerKind: '社区（村）落实', completed: true },
  },
  {
    name: 'shipped Wushen consultation: reply overdue',
    covers: 'processes/national/consultation.bpmn with Wushen Banner’s parameters: report to the township, reply deadline (1 s) flags and alerts, then the reply and the feedback',
    file: 'processes/national/consultation.bpmn',
    params: params('wushen-banner', { replyDeadline: 'PT1S' }),
    steps: [
      ...p1({ ...P1_PASSED, research, publication: { ...P1_PASSED.publication, implementerKind: '上级部门落实' } } as Record<string, JsonObject>, 'supervise-residents'),
      { expect: ['report-higher'] },
      { sleep: 1600 },
      { expect: ['report-higher'] },
      { complete: 'report-higher', variables: { replyDate: '2026-11-12', documentNo: '乌政函〔2026〕9号', replyContent: '同意，由苏木镇协调', adopted: true } },
      ...CLOSING,
    ],
    end: 'completed',
    variables: { replyOverdue: true, adopted: true, completed: true },
  },
  // The next meeting is due on the first day of the next quarter: a date far ahead keeps the timer
  // waiting in both engines (a past one would fire at each engine's own pace).
  {
    name: 'shipped Anhui council meeting: the year-end quarter, a vote, then waiting for the next quarter',
    covers: 'processes/anhui/council-meeting.bpmn: quarter from the date, majority of members, vote published, params.annualReviewQuarter, a timer at the next quarter’s first day',
    file: 'processes/anhui/council-meeting.bpmn',
    params: params('anhui'),
    steps: [
      { expect: ['session'] },
      { complete: 'session', variables: { meetingDate: '2099-10-20', expected: 9, present: 8, resolutionFor: 5, decisions: '续聘物业', continueSchedule: true } },
      { expect: ['annual-review'] },
      { complete: 'annual-review', variables: { reviewed: true } },
      { expect: [] },
      { cancel: true },
    ],
    end: 'cancelled',
  },
  {
    name: 'shipped Anhui council meeting: no quorum, held again',
    covers: 'processes/anhui/council-meeting.bpmn: 4 of 9 present cannot decide, the session opens again; a Q1 meeting has no year-end review',
    file: 'processes/anhui/council-meeting.bpmn',
    params: params('anhui'),
    steps: [
      { complete: 'session', variables: { meetingDate: '2026-03-30', expected: 9, present: 4, continueSchedule: false } },
      { expect: ['session'] },
      { complete: 'session', variables: { meetingDate: '2026-03-31', expected: 9, present: 8, resolutionFor: 4, decisions: '更换保洁', continueSchedule: false } },
    ],
    end: 'completed',
    variables: { quarter: 1, quorate: true, resolutionPassed: false, published: true },
  },
  {
    name: 'shipped township triage: a small matter with every optional step',
    covers: 'processes/township-triage/triage.bpmn: set-variables with get value(params…), the 一事一议 path in the seed’s order',
    file: 'processes/township-triage/triage.bpmn',
    params: params('township-triage'),
    steps: [
      { complete: 'register', variables: { repeated: false, category: '文体活动', matter: '广场舞场地' } },
      { expect: ['classify'] },
      { complete: 'classify', variables: { matterClass: '小事' } },
      { expect: ['plan'] },
      { complete: 'plan', variables: { planType: '活动类', needsFunding: true, needsOrganisation: true, needsIncentive: true } },
      ...['compact', 'funding', 'carry-out', 'evaluate', 'organise', 'incentive'].flatMap((id): Action[] => [{ expect: [id] }, { complete: id, variables: { [`${id}Done`]: true } }]),
    ],
    end: 'completed',
    variables: { suggestedClass: '小事', matterClass: '小事', classOverridden: false },
  },
  {
    name: 'shipped township triage: an overridden 大事, unresolved',
    covers: 'processes/township-triage/triage.bpmn: a class other than the suggestion without a reason goes back, two 站所 each answer (multi-instance), one does not resolve it, the township coordinates, the reporter is answered',
    file: 'processes/township-triage/triage.bpmn',
    params: params('township-triage'),
    steps: [
      { complete: 'register', variables: { repeated: false, category: '文体活动', matter: '广场舞场地' } },
      { complete: 'classify', variables: { matterClass: '大事' } },
      { expect: ['classify'] },
      { complete: 'classify', variables: { matterClass: '大事', overrideReason: '涉及公共场地审批' } },
      { expect: ['dispatch'] },
      { complete: 'dispatch', variables: { offices: ['综治办', '派出所'] } },
      { expect: ['department-reply', 'department-reply'] },
      { complete: 'department-reply', where: { office: '派出所' }, variables: { resolved: true } },
      { expect: ['department-reply'] },
      { complete: 'department-reply', where: { office: '综治办' }, variables: { resolved: false } },
      { expect: ['coordinate'] },
      { complete: 'coordinate', variables: { coordinated: true } },
      { expect: ['reply-resident'] },
      { complete: 'reply-resident', variables: { replied: true } },
    ],
    end: 'completed',
    variables: { classOverridden: true, overrideReason: '涉及公共场地审批', departmentsResolved: [false, true] },
  },
  {
    name: 'shipped township triage: a repeated report',
    covers: 'processes/township-triage/triage.bpmn: a repeat is merged by set-variables and ends',
    file: 'processes/township-triage/triage.bpmn',
    params: params('township-triage'),
    steps: [{ complete: 'register', variables: { repeated: true, repeatOf: 'T-7', category: '宅基地' } }, { expect: [] }],
    end: 'completed',
    variables: { mergedInto: 'T-7' },
  },
  {
    name: 'shipped township ledger review: waiting for the next quarter',
    covers: 'processes/township-triage/ledger-review.bpmn: review, then a timer at the next quarter’s first day (far ahead: it waits)',
    file: 'processes/township-triage/ledger-review.bpmn',
    params: params('township-triage'),
    steps: [{ complete: 'review', variables: { reviewDate: '2099-03-30', continueReview: true } }, { expect: [] }, { cancel: true }],
    end: 'cancelled',
  },
  {
    name: 'shipped Anhui grid collection: each member’s grid, waiting for the next month',
    covers: 'processes/anhui/grid-collection.bpmn: grids assigned, one collection per member (multi-instance), those who go on kept by set-variables, then a timer at the next month’s first day (far ahead: it waits)',
    file: 'processes/anhui/grid-collection.bpmn',
    params: params('anhui'),
    steps: [
      { complete: 'assign-grids', variables: { assignments: [{ member: '甲', grid: '一片' }, { member: '乙', grid: '二片' }] } },
      { expect: ['collect-grid', 'collect-grid'] },
      { complete: 'collect-grid', where: { assignment: { member: '乙', grid: '二片' } }, variables: { collectedOn: '2099-12-05', continueCollection: false } },
      { expect: ['collect-grid'] },
      { complete: 'collect-grid', where: { assignment: { member: '甲', grid: '一片' } }, variables: { collectedOn: '2099-12-05', continueCollection: true } },
      { expect: [] },
      { cancel: true },
    ],
    end: 'cancelled',
  },
  {
    name: 'shipped Anhui grid collection: nobody goes on',
    covers: 'processes/anhui/grid-collection.bpmn: every member stops, the filtered list is empty, the process ends',
    file: 'processes/anhui/grid-collection.bpmn',
    params: params('anhui'),
    steps: [
      { complete: 'assign-grids', variables: { assignments: [{ member: '甲', grid: '一片' }] } },
      { complete: 'collect-grid', variables: { collectedOn: '2099-12-05', continueCollection: false } },
    ],
    end: 'completed',
    variables: { continuing: [null], assignments: [] },
  },
];
