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

export const SHIPPED: Case[] = [
  {
    name: 'shipped national P1: passed, residents comply',
    covers: 'processes/national/consultation.bpmn: the shortest passing path, publish-result, output mappings with params.passRatio',
    file: 'processes/national/consultation.bpmn',
    params: params('national'),
    steps: p1(P1_PASSED as Record<string, JsonObject>),
    end: 'completed',
    variables: { passed: true, published: true, topicApproved: true },
  },
  {
    name: 'shipped national P1: not admissible',
    covers: 'processes/national/consultation.bpmn: screening refuses (三不议), written reply, end',
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
    name: 'shipped national P1: community implements late',
    covers: 'processes/national/consultation.bpmn: cross-village lead, non-interrupting deadline (1 s here) alerts supervision while the task stays',
    file: 'processes/national/consultation.bpmn',
    params: params('national', { implementationDeadline: 'PT1S' }),
    steps: [
      ...p1({ ...P1_PASSED, research: { ...P1_PASSED.research, topicKind: '跨村（社区）事项' } } as Record<string, JsonObject>, 'meeting'),
      { expect: ['township-lead'] },
      { complete: 'township-lead', variables: { lead: '镇党委' } },
      { complete: 'meeting', variables: P1_PASSED.meeting as JsonObject },
      { complete: 'publication', variables: { ...P1_PASSED.publication, implementerKind: '社区（村）落实' } as JsonObject },
      { expect: ['implement-community'] },
      { sleep: 1600 },
      { expect: ['implement-community'] },
      { complete: 'implement-community', variables: { progress: '已完成' } },
    ],
    end: 'completed',
    variables: { topicKind: '跨村（社区）事项', implementerKind: '社区（村）落实' },
  },
  {
    name: 'shipped Wushen consultation: reply overdue',
    covers: 'processes/wushen-banner/consultation.bpmn: report to the township, reply deadline (1 s) flags and alerts, then the reply',
    file: 'processes/wushen-banner/consultation.bpmn',
    params: params('wushen-banner', { replyDeadline: 'PT1S' }),
    steps: [
      ...p1({ ...P1_PASSED, research, publication: { ...P1_PASSED.publication, implementerKind: '上级部门落实' } } as Record<string, JsonObject>, 'supervise-residents'),
      { expect: ['report-higher'] },
      { sleep: 1600 },
      { expect: ['report-higher'] },
      { complete: 'report-higher', variables: { replyDate: '2026-11-12', documentNo: '乌政函〔2026〕9号', replyContent: '同意，由苏木镇协调', adopted: true } },
    ],
    end: 'completed',
    variables: { replyOverdue: true, adopted: true },
  },
  {
    name: 'shipped Anhui council meeting: a quarter, then the annual review',
    covers: 'processes/anhui/council-meeting.bpmn: loop through a timer (interval 1 s here), condition on params.annualReviewQuarter',
    file: 'processes/anhui/council-meeting.bpmn',
    params: params('anhui', { councilMeetingInterval: 'PT1S' }),
    steps: [
      { expect: ['session'] },
      { complete: 'session', variables: { quarter: 1, continueSchedule: true } },
      { expect: [] },
      { sleep: 1600 },
      { expect: ['session'] },
      { complete: 'session', variables: { quarter: 4 } },
      { expect: ['annual-review'] },
      { complete: 'annual-review', variables: { continueSchedule: false } },
    ],
    end: 'completed',
    variables: { quarter: 4, continueSchedule: false },
  },
  {
    name: 'shipped township triage: a small matter',
    covers: 'processes/township-triage/triage.bpmn: set-variables with get value(params…), the 小事 path of six tasks',
    file: 'processes/township-triage/triage.bpmn',
    params: params('township-triage'),
    steps: [
      { complete: 'register', variables: { repeated: false, category: '文体活动', title: '广场舞场地' } },
      { expect: ['classify'] },
      { complete: 'classify', variables: { matterClass: '小事' } },
      ...['plan', 'compact', 'funding', 'carry-out', 'organise', 'incentive'].flatMap((id): Action[] => [{ expect: [id] }, { complete: id, variables: { [`${id}Done`]: true } }]),
    ],
    end: 'completed',
    variables: { suggestedClass: '小事', matterClass: '小事' },
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
    name: 'shipped township ledger review: two rounds',
    covers: 'processes/township-triage/ledger-review.bpmn: review, wait the interval (1 s here), review again, stop',
    file: 'processes/township-triage/ledger-review.bpmn',
    params: params('township-triage', { reviewInterval: 'PT1S' }),
    steps: [
      { complete: 'review', variables: { continueReview: true } },
      { expect: [] },
      { sleep: 1600 },
      { expect: ['review'] },
      { complete: 'review', variables: { continueReview: false } },
    ],
    end: 'completed',
    variables: { continueReview: false },
  },
];
