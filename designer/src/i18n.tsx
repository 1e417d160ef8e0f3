// zh-CN first, English second: every text the designer shows comes from here.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

const zh = {
  appName: '议事', signIn: '登录', signOut: '退出', username: '用户名', password: '密码', signingIn: '正在登录…',
  tasks: '待办', design: '流程设计', forms: '表单', instances: '流程实例', admin: '管理', publicResults: '公开结果',
  loading: '加载中…', retry: '重试', save: '保存', cancel: '取消', close: '关闭', back: '返回', refresh: '刷新',
  jurisdiction: '辖区', allJurisdictions: '全部辖区', language: 'English',
  myTasks: '我的待办', groupTasks: '可认领', overdue: '已逾期', due: '期限', claim: '认领', unclaim: '放弃认领', complete: '提交',
  noTasks: '没有待办任务', taskDone: '已提交', taskContext: '办理事项', nextTask: '下一个任务', history: '办理记录', by: '办理人',
  formHasErrors: '表单有错误，请检查标红的字段', inherited: '继承自', definedHere: '本辖区定义', version: '版本',
  open: '打开', deploy: '发布新版本', deployed: '已发布版本', lint: '检查', problems: '问题', noProblems: '没有问题',
  exportBpmn: '下载流程文件', exportSvg: '下载矢量图', exportPng: '下载图片', versionNo: '第 {n} 版', systemUser: '系统', administrators: '管理员', attachmentsHeading: '附件', showDiagram: '看流程图：办到哪一步了', hideDiagram: '收起流程图', diagramNow: '当前环节', diagramNoLayout: '这个流程没有画出图形，无法显示流程图。', versions: '版本历史', viewVersion: '查看',
  staleVersion: '该流程已被他人修改', createdBy: '修改人', createdAt: '时间', process: '流程', processes: '流程',
  schema: '表单结构 (JSON Schema)', uiSchema: '界面设置 (uiSchema)', preview: '预览', schemaError: '结构错误',
  saved: '已保存', status: '状态', startedAt: '开始时间', variables: '办理内容', timeline: '时间线', waitingOn: '等待中', calledBy: '上级实例（调用方）', calledInstances: '调用的子流程',
  startInstance: '发起', active: '进行中', completed: '已完成', cancelled: '已取消', incident: '办理受阻', incidentStep: '这一步', incidentGeneric: '自动处理时出错，请核对案件数据后重试', retryStep: '重试这一步', technicalDetail: '技术细节', stoppedHere: '受阻',
  importBundle: '导入规则集', exportBundle: '导出规则集', importDone: '导入成功', importRefused: '导入被拒绝', users: '用户',
  roles: '角色', displayName: '姓名', addUser: '添加用户', tree: '辖区树', chooseFile: '选择规则集文件 (JSON)',
  noResults: '暂无公开结果', publishedAt: '公开时间', print: '打印', notSignedIn: '请先登录', any: '全部',
  deleteUser: '删除', filter: '筛选', overdueTimers: '已超过期限的环节', none: '无', confirmDeploy: '发布',
  newVersionSaved: '已保存为新版本', element: '环节', message: '说明', changedBy: '修改人', editRoles: '修改角色',
  tabTodo: '待办', tabDone: '已办', tabStarted: '我发起的', tabCopied: '抄送我的',
  operations: '办理', reason: '意见 / 理由', opinion: '审批意见（选填）', colleague: '转给', returnTo: '退回到',
  copyTo: '抄送给', confirm: '确定', opDone: '已办理', noReturnable: '没有可退回的步骤',
  opTransfer: '转办', opDelegate: '委派', opResolve: '交回', opReturn: '退回', opUrge: '催办', opCopy: '抄送',
  opWithdraw: '撤回', opComment: '审批意见', opOpinion: '审批意见', opSign: '加签', opUnsign: '减签', opCountersign: '加签审批', opSignRefuse: '加签不同意',
  signMode: '加签方式', signBefore: '前加签：先请他人审批，再回到我', signAfter: '后加签：我审批后，再请他人审批', signParallel: '并加签：与我同时审批，都同意才通过',
  modeBefore: '前加签', modeAfter: '后加签', modeParallel: '并加签',
  signers: '加签人', signChain: '加签审批', signWaiting: '待审批', signActed: '已同意', approve: '同意', heldBy: '办理人：', refuse: '不同意', refuseNeedsReason: '不同意时请填写审批意见，说明理由', refuseReason: '审批意见（不同意时必填）', signRefusedBy: '加签人不同意：', signRefusedHint: '请您重新办理本任务', searchPerson: '输入姓名查找', noPeople: '没有找到可选的人', removePerson: '移除',
  signApproveHint: '您是本任务的加签人：填写意见后点“同意”或“不同意”', signAwaiting: '等待加签人审批', withdrawReason: '撤回理由',
  withdrawHint: '您发起的事项尚无他人办理，可以撤回', addComment: '发表意见', commentText: '审批意见',
  simpleDesigner: '流程简图', newSimple: '新建流程（简图）', openInModeler: '在 BPMN 设计器中打开', cannotSimple: '此流程无法用简图表示，请在 BPMN 设计器中修改',
  processName: '流程名称', processKey: '代号（小写字母、数字、连字符）', nodeStart: '发起', nodeEnd: '结束', nodeApprove: '审批人', nodeHandle: '办理人',
  nodeCc: '抄送', nodeBranch: '条件分支', addNode: '＋ 添加', nodeName: '节点名称', howApprove: '审批方式',
  approvalOne: '一人办理（职能组内任一人认领）', approvalCountersign: '会签（多人同时审批）', approvalAnyone: '或签（一人同意即可）', approvalSequential: '依次审批（按顺序）',
  whichGroup: '办理的职能组', signerAccounts: '审批人', requiredCount: '几人同意即可（0 表示全部同意）', nodeForm: '表单', noForm: '（不填表单）',
  deadlineDays: '期限（天，0 表示不限）', ccTo: '抄送给', ccMessage: '通知内容', pathName: '分支名称', conditionField: '条件：表单字段',
  conditionValue: '等于', otherwise: '其他情况', addPath: '添加条件', edit: '编辑', deleteNode: '删除', needsAgree: '人同意即可', daysUnit: '天',
  chooseGroup: '（请选择）', chooseField: '（选择字段）', keyInvalid: '代号只能用小写字母、数字和连字符，并以字母开头',
  ruleSet: '规则', editRuleSet: '编辑规则', newChild: '新建下级辖区', childId: '代号（小写字母、数字、连字符）', childName: '名称',
  parentJurisdiction: '上级辖区', create: '创建', parameters: '参数', vocabulary: '用语', groups: '职能组', overriddenHere: '本辖区设定',
  restoreInherited: '恢复继承', addRow: '添加', remove: '删除', generalTerm: '通用用语', localTerm: '本地用语', groupCode: '代号',
  groupName: '名称', effectivePreview: '生效规则预览', usedIn: '用于', notUsed: '未被流程或表单引用', yes: '是', no: '否',
  staleRuleSet: '规则已被他人修改，请刷新后重试', ruleSetHistory: '规则版本历史', restoreVersion: '恢复到此版本', currentVersion: '当前版本', restoredVersion: '已恢复为第 {n} 版的规则，另存为新的一版', confirmRestore: '恢复到第 {n} 版的规则？当前规则会另存为新的一版，之后仍可再恢复。', confirmDeleteUser: '删除用户 {name}？此操作不能撤销。', noChanges: '无改动', changeName: '名称', addedHere: '本辖区新增', majority: '过半数', twoThirds: '三分之二',
  migrate: '迁移运行中的实例', dryRun: '试迁移', migrateNow: '迁移', migrated: '已迁移', refused: '不能迁移', mapping: '环节对应',
  fromVersion: '从版本', toVersion: '到版本', wouldMigrate: '可迁移', builder: '表单设计', advanced: '高级（JSON）', addField: '添加字段',
  fieldTitle: '标题', fieldHelp: '说明', fieldRequired: '必填', fieldKind: '类型', kindText: '文字', kindLongText: '多行文字', kindNumber: '数字',
  kindDate: '日期', kindChoice: '单选', kindYesNo: '是/否', kindList: '列表', kindAttachment: '附件', choiceOptions: '选项（每行一个）',
  minimum: '最小', maximum: '最大', moveUp: '上移', moveDown: '下移', formTitle: '表单标题', showWhen: '仅当', equals: '为',
  always: '（总是显示）',
  serviceTokens: '作业程序令牌', tokenName: '名称', issuedBy: '签发人', issuedAt: '签发时间', issueToken: '签发令牌', revokeToken: '吊销', tokenRevoked: '已吊销', tokenLive: '有效',
  noTokens: '尚未签发令牌', tokenShownOnce: '令牌只显示这一次，请立即复制并交给作业程序：',
  tokensHint: '外部作业程序（如用 Camunda SDK 编写的服务）凭令牌调用作业接口 /camunda/v2，只能领取所选辖区及其下级的作业。也可以改用具有 worker 角色的账号。',
  caseNo: '编号', caseTitle: '事项', search: '搜索', searchCases: '编号、事项或反映人', untitled: '未命名事项',
  ledger: '台账', stats: '统计', exportXlsx: '导出 Excel', exportCsv: '导出 CSV', period: '期间', from: '自', to: '至',
  matterClass: '分类', noCases: '没有符合条件的事项', more: '更多', documents: '打印文书', printNow: '打印 / 存为 PDF',
  byProcess: '按流程', byClass: '按分类', byCategory: '按类别', byStatus: '按状态', total: '合计', openCases: '未办结',
  overdueCases: '逾期', avgDaysToClose: '平均办结天数', closed: '已办结', quarter: '季度', prefilled: '已按本季度统计预填',
  takePhoto: '拍照', chooseFiles: '选择文件', uploading: '正在上传…', removeFile: '移除', fileUnavailable: '附件无法查看',
  fitWidth: '适应宽度', wholeDiagram: '查看全图', attachments: '附件', rawData: '原始数据（供核对）', notifications: '通知', noNotifications: '没有新通知', markAllRead: '全部标为已读', unread: '条未读',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  appName: 'Yishi', signIn: 'Sign in', signOut: 'Sign out', username: 'Username', password: 'Password', signingIn: 'Signing in…',
  tasks: 'Tasks', design: 'Process design', forms: 'Forms', instances: 'Instances', admin: 'Administration', publicResults: 'Public results',
  loading: 'Loading…', retry: 'Retry', save: 'Save', cancel: 'Cancel', close: 'Close', back: 'Back', refresh: 'Refresh',
  jurisdiction: 'Jurisdiction', allJurisdictions: 'All jurisdictions', language: '中文',
  myTasks: 'My tasks', groupTasks: 'To claim', overdue: 'Overdue', due: 'Due', claim: 'Claim', unclaim: 'Unclaim', complete: 'Submit',
  noTasks: 'No open tasks', taskDone: 'Submitted', taskContext: 'About this task', nextTask: 'Next task', history: 'History', by: 'By',
  formHasErrors: 'The form has errors: see the fields marked in red', inherited: 'Inherited from', definedHere: 'Defined here', version: 'Version',
  open: 'Open', deploy: 'Deploy as new version', deployed: 'Deployed version', lint: 'Lint', problems: 'Problems', noProblems: 'No problems',
  exportBpmn: 'Export BPMN', exportSvg: 'Export SVG', exportPng: 'Export PNG', versionNo: 'v{n}', systemUser: 'system', administrators: 'Administrators', attachmentsHeading: 'Attachments', showDiagram: 'Show where the case stands', hideDiagram: 'Hide the diagram', diagramNow: 'Now at', diagramNoLayout: 'This process has no drawn layout to show.', versions: 'Versions', viewVersion: 'View',
  staleVersion: 'Someone else changed this process', createdBy: 'By', createdAt: 'At', process: 'Process', processes: 'Processes',
  schema: 'Schema (JSON Schema)', uiSchema: 'uiSchema', preview: 'Preview', schemaError: 'Schema error',
  saved: 'Saved', status: 'Status', startedAt: 'Started', variables: 'Variables', timeline: 'Timeline', waitingOn: 'Waiting on', calledBy: 'Called by', calledInstances: 'Called processes',
  startInstance: 'Start', active: 'Active', completed: 'Completed', cancelled: 'Cancelled', incident: 'Incident', incidentStep: 'This step', incidentGeneric: 'Automatic processing failed: check the case data, then retry', retryStep: 'Retry this step', technicalDetail: 'Technical detail', stoppedHere: 'stopped',
  importBundle: 'Import rule set', exportBundle: 'Export rule set', importDone: 'Imported', importRefused: 'Import refused', users: 'Users',
  roles: 'Roles', displayName: 'Name', addUser: 'Add user', tree: 'Jurisdictions', chooseFile: 'Choose a rule-set file (JSON)',
  noResults: 'No published results yet', publishedAt: 'Published', print: 'Print', notSignedIn: 'Please sign in', any: 'Any',
  deleteUser: 'Delete', filter: 'Filter', overdueTimers: 'Overdue timers', none: 'None', confirmDeploy: 'Deploy',
  newVersionSaved: 'Saved as a new version', element: 'Step', message: 'Message', changedBy: 'Changed by', editRoles: 'Edit roles',
  tabTodo: 'To do', tabDone: 'Done', tabStarted: 'Started by me', tabCopied: 'Copied to me',
  operations: 'Actions', reason: 'Comment / reason', opinion: 'Opinion (optional)', colleague: 'To', returnTo: 'Return to',
  copyTo: 'Copy to', confirm: 'Confirm', opDone: 'Done', noReturnable: 'No earlier step to return to',
  opTransfer: 'Transfer', opDelegate: 'Delegate', opResolve: 'Hand back', opReturn: 'Return', opUrge: 'Urge', opCopy: 'Copy',
  opWithdraw: 'Withdraw', opComment: 'Comment', opOpinion: 'Opinion', opSign: 'Add signer', opUnsign: 'Remove signer', opCountersign: 'Signer approval', opSignRefuse: 'Signer refused',
  signMode: 'How', signBefore: 'Before me: they approve first, then it returns to me', signAfter: 'After me: they approve after I do', signParallel: 'With me: all of us must approve',
  modeBefore: 'before', modeAfter: 'after', modeParallel: 'parallel',
  signers: 'Signers', signChain: 'Added signers', signWaiting: 'waiting', signActed: 'approved', approve: 'Approve', heldBy: 'Held by ', refuse: 'Refuse', refuseNeedsReason: 'Give your reason in the opinion to refuse', refuseReason: 'Opinion (required to refuse)', signRefusedBy: 'An added signer refused: ', signRefusedHint: 'please decide this task again', searchPerson: 'Type a name', noPeople: 'Nobody found', removePerson: 'Remove',
  signApproveHint: 'You were added as a signer: give your opinion, then approve or refuse', signAwaiting: 'Waiting for the added signers', withdrawReason: 'Reason for withdrawing',
  withdrawHint: 'Nobody else has acted on your case yet: you may withdraw it', addComment: 'Post', commentText: 'Comment',
  simpleDesigner: 'Simple designer', newSimple: 'New process (simple)', openInModeler: 'Open in the BPMN modeler', cannotSimple: 'The simple designer cannot show this process; change it in the BPMN modeler',
  processName: 'Process name', processKey: 'Code (lower-case letters, digits, dashes)', nodeStart: 'Start', nodeEnd: 'End', nodeApprove: 'Approver', nodeHandle: 'Handler',
  nodeCc: 'Copy', nodeBranch: 'Condition', addNode: '+ Add', nodeName: 'Name', howApprove: 'How',
  approvalOne: 'One person (anyone of the group claims it)', approvalCountersign: 'Countersign (together)', approvalAnyone: 'Any one of them', approvalSequential: 'One after another',
  whichGroup: 'Group', signerAccounts: 'Approvers', requiredCount: 'How many suffice (0: all)', nodeForm: 'Form', noForm: '(no form)',
  deadlineDays: 'Deadline (days, 0: none)', ccTo: 'Copy to', ccMessage: 'Message', pathName: 'Branch name', conditionField: 'When the form field',
  conditionValue: 'equals', otherwise: 'Otherwise', addPath: 'Add condition', edit: 'Edit', deleteNode: 'Delete', needsAgree: 'suffice', daysUnit: 'days',
  chooseGroup: '(choose)', chooseField: '(choose a field)', keyInvalid: 'The code may hold lower-case letters, digits and dashes, starting with a letter',
  ruleSet: 'Rules', editRuleSet: 'Edit rules', newChild: 'New sub-jurisdiction', childId: 'Code (lower-case letters, digits, dashes)', childName: 'Name',
  parentJurisdiction: 'Parent', create: 'Create', parameters: 'Parameters', vocabulary: 'Vocabulary', groups: 'Groups', overriddenHere: 'Set here',
  restoreInherited: 'Restore inherited', addRow: 'Add', remove: 'Remove', generalTerm: 'General term', localTerm: 'Local term', groupCode: 'Code',
  groupName: 'Name', effectivePreview: 'Effective rules', usedIn: 'Used in', notUsed: 'Not used by any diagram or form', yes: 'Yes', no: 'No',
  staleRuleSet: 'Someone changed these rules meanwhile: reload and retry', ruleSetHistory: 'Rule versions', restoreVersion: 'Restore this version', currentVersion: 'Current version', restoredVersion: 'Restored the rules of version {n}, saved as a new version', confirmRestore: 'Restore the rules of version {n}? The current rules are saved as a new version and can be restored again.', confirmDeleteUser: 'Delete user {name}? This cannot be undone.', noChanges: 'No changes', changeName: 'Name', addedHere: 'Added here', majority: 'majority', twoThirds: 'two thirds',
  migrate: 'Migrate running instances', dryRun: 'Dry run', migrateNow: 'Migrate', migrated: 'Migrated', refused: 'Cannot migrate', mapping: 'Element mapping',
  fromVersion: 'From version', toVersion: 'To version', wouldMigrate: 'Would migrate', builder: 'Form builder', advanced: 'Advanced (JSON)', addField: 'Add field',
  fieldTitle: 'Title', fieldHelp: 'Help', fieldRequired: 'Required', fieldKind: 'Type', kindText: 'Text', kindLongText: 'Long text', kindNumber: 'Number',
  kindDate: 'Date', kindChoice: 'Choice', kindYesNo: 'Yes/no', kindList: 'List', kindAttachment: 'Attachment', choiceOptions: 'Options (one per line)',
  minimum: 'Min', maximum: 'Max', moveUp: 'Up', moveDown: 'Down', formTitle: 'Form title', showWhen: 'Only when', equals: 'is',
  always: '(always shown)',
  serviceTokens: 'Job worker tokens', tokenName: 'Name', issuedBy: 'Issued by', issuedAt: 'Issued at', issueToken: 'Issue token', revokeToken: 'Revoke', tokenRevoked: 'Revoked', tokenLive: 'Active',
  noTokens: 'No tokens issued yet', tokenShownOnce: 'The token is shown this once: copy it now and give it to the job worker:',
  tokensHint: 'External job workers (e.g. written with the Camunda SDK) call the job API under /camunda/v2 with this bearer token and take only jobs of the chosen jurisdiction and below. An account with the worker role works too.',
  caseNo: 'No.', caseTitle: 'Matter', search: 'Search', searchCases: 'Number, matter or reporter', untitled: '(no matter entered yet)',
  ledger: 'Ledger', stats: 'Statistics', exportXlsx: 'Export Excel', exportCsv: 'Export CSV', period: 'Period', from: 'From', to: 'To',
  matterClass: 'Class', noCases: 'No matching cases', more: 'More', documents: 'Print documents', printNow: 'Print / save as PDF',
  byProcess: 'By process', byClass: 'By class', byCategory: 'By category', byStatus: 'By status', total: 'Total', openCases: 'Open',
  overdueCases: 'Overdue', avgDaysToClose: 'Average days to close', closed: 'Closed', quarter: 'Quarter', prefilled: 'Prefilled from this quarter\'s statistics',
  takePhoto: 'Take photo', chooseFiles: 'Choose files', uploading: 'Uploading…', removeFile: 'Remove', fileUnavailable: 'File not available',
  fitWidth: 'Fit width', wholeDiagram: 'Whole diagram', attachments: 'Attachments', rawData: 'Raw data (for checking)', notifications: 'Notifications', noNotifications: 'No new notifications', markAllRead: 'Mark all read', unread: 'unread',
};

export type Locale = 'zh' | 'en';
const dictionaries: Record<Locale, Record<Key, string>> = { zh, en };
const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'zh', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(() => (localStorage.getItem('yishi.locale') === 'en' ? 'en' : 'zh'));
  const value = useMemo(
    () => ({
      locale,
      setLocale: (l: Locale) => {
        localStorage.setItem('yishi.locale', l);
        document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
        set(l);
      },
    }),
    [locale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale() {
  return useContext(LocaleContext);
}

export function useT() {
  const { locale } = useLocale();
  return (key: Key) => dictionaries[locale][key];
}

/** "第 3 版" / "v3". */
export const versionLabel = (t: ReturnType<typeof useT>, n: number) => t('versionNo').replace('{n}', String(n));

export const formatTime = (iso: string | null | undefined, locale: Locale) =>
  iso ? new Date(iso).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '—';
