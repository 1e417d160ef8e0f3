// Chinese for the modeler: palette, context pad, replace menu, properties panel and lint messages.
// bpmn-js asks its `translate` service for every label; what is not listed stays English.
const zh: Record<string, string> = {
  // palette
  'Activate hand tool': '抓手工具', 'Activate the hand tool': '抓手工具', 'Activate lasso tool': '套索工具', 'Activate the lasso tool': '套索工具',
  'Activate create/remove space tool': '插入/删除空间', 'Activate the create/remove space tool': '插入/删除空间',
  'Activate global connect tool': '连线工具', 'Activate the global connect tool': '连线工具',
  'Create start event': '开始事件', 'Create StartEvent': '开始事件', 'Create end event': '结束事件', 'Create EndEvent': '结束事件',
  'Create task': '任务', 'Create Task': '任务', 'Create gateway': '网关', 'Create Gateway': '网关',
  'Create intermediate/boundary event': '中间/边界事件', 'Create Intermediate/Boundary Event': '中间/边界事件',
  'Create expanded sub-process': '展开的子流程', 'Create expanded SubProcess': '展开的子流程',
  'Create pool/participant': '泳池/参与者', 'Create Pool/Participant': '泳池/参与者',
  'Create data object reference': '数据对象', 'Create DataObjectReference': '数据对象',
  'Create data store reference': '数据存储', 'Create DataStoreReference': '数据存储', 'Create group': '分组', 'Create Group': '分组',
  // context pad
  'Append end event': '追加结束事件', 'Append EndEvent': '追加结束事件', 'Append gateway': '追加网关', 'Append Gateway': '追加网关',
  'Append task': '追加任务', 'Append Task': '追加任务', 'Append intermediate/boundary event': '追加中间事件',
  'Append Intermediate/Boundary Event': '追加中间事件', 'Append text annotation': '追加注释', 'Add text annotation': '添加注释',
  'Change type': '更改类型', 'Change element': '更改类型', 'Delete': '删除', 'Remove': '删除',
  'Connect using Sequence/MessageFlow or Association': '连线', 'Connect to other element': '连线',
  'Connect using sequence/message flow or association': '连线', 'Connect using association': '关联连线', 'Connect using DataInputAssociation': '数据关联',
  'Append user task': '追加用户任务', 'Append service task': '追加服务任务', 'Append message intermediate catch event': '追加消息事件',
  'Append timer intermediate catch event': '追加定时事件', 'Append ReceiveTask': '追加接收任务',
  // replace menu and element types
  'Task': '任务', 'User task': '用户任务', 'Service task': '服务任务', 'Send task': '发送任务', 'Receive task': '接收任务',
  'Manual task': '手工任务', 'Business rule task': '业务规则任务', 'Script task': '脚本任务', 'Call activity': '调用活动',
  'Sub-process (collapsed)': '子流程（折叠）', 'Sub-process (expanded)': '子流程（展开）', 'Sub-process': '子流程',
  'Exclusive gateway': '排他网关', 'Parallel gateway': '并行网关', 'Inclusive gateway': '包容网关', 'Event-based gateway': '事件网关',
  'Complex gateway': '复杂网关', 'Start event': '开始事件', 'End event': '结束事件', 'Intermediate throw event': '中间抛出事件',
  'Message start event': '消息开始事件', 'Timer start event': '定时开始事件', 'Message intermediate catch event': '消息捕获事件',
  'Timer intermediate catch event': '定时捕获事件', 'Message boundary event': '消息边界事件', 'Timer boundary event': '定时边界事件',
  'Timer boundary event (non-interrupting)': '定时边界事件（不中断）', 'Message boundary event (non-interrupting)': '消息边界事件（不中断）',
  'Error boundary event': '错误边界事件', 'Error end event': '错误结束事件', 'Terminate end event': '终止结束事件',
  'Default flow': '默认流', 'Conditional flow': '条件流', 'Sequence flow': '顺序流', 'Search in diagram': '在图中搜索',
  // properties panel
  'General': '常规', 'Name': '名称', 'ID': '编号', 'Documentation': '说明', 'Element documentation': '环节说明',
  'Process documentation': '流程说明', 'Executable': '可执行', 'Version tag': '版本标签',
  'Form': '表单', 'Form key': '表单键', 'Custom form key': '自定义表单键', 'Type': '类型', 'Assignment': '分配',
  'Assignee': '办理人', 'Candidate groups': '候选组', 'Candidate users': '候选用户', 'Inputs': '输入', 'Outputs': '输出',
  'Global signal reference': '信号', 'Compensation': '补偿', 'Wait for completion': '等待补偿完成', 'Activity reference': '要补偿的活动',
  'Input mapping': '输入映射', 'Output mapping': '输出映射', 'Local variable name': '变量名', 'Process variable name': '流程变量名',
  'Variable assignment value': '赋值', 'Timer': '定时器', 'Timer definition type': '定时类型', 'Timer definition': '定时表达式',
  'Date': '日期', 'Duration': '持续时间', 'Cycle': '循环', 'Condition': '条件', 'Condition expression': '条件表达式',
  'Task definition': '任务定义', 'Implementation': '实现', 'Job type': '作业类型', 'Camunda user task': '平台用户任务', 'Job worker': '作业执行器', 'Retries': '重试次数', 'Headers': '任务头', 'Key': '键', 'Value': '值', 'Message': '消息',
  'Correlation key': '关联键', 'Subscription correlation key': '关联键', 'Global message reference': '消息引用',
  'Due date': '到期时间', 'Follow up date': '跟进时间', 'Task schedule': '任务期限', 'Execution listeners': '执行监听器',
  'Extension properties': '扩展属性', 'Multi-instance': '多实例', 'Template': '模板', 'Error': '错误', 'Escalation': '升级',
  'Signal': '信号', 'Priority': '优先级', 'Interrupting': '中断', 'Asynchronous continuations': '异步', 'Start initiator': '发起人',
  '<none>': '<无>', 'Create new ...': '新建…', 'Add': '添加', 'Delete item': '删除', 'Open popup': '展开', 'Start typing "=" to create an expression.': '输入 “=” 开始编写 FEEL 表达式。',
  'Must be a valid ISO 8601 duration, e.g. PT10M or P2D.': '应为 ISO 8601 持续时间，例如 PT10M 或 P2D。',
  // lint
  'Element is missing label/name': '环节缺少名称', 'Element is not connected': '环节未连接', 'Element is an implicit end': '隐式结束：请连到结束事件',
  'Element is an implicit start': '隐式开始：请从开始事件连入', 'Incoming flows do not join': '多条入流未经网关汇合',
  'Gateway forks and joins': '网关既汇合又分支', 'Process is missing start event': '流程缺少开始事件', 'Process is missing end event': '流程缺少结束事件',
  'Sequence flow is missing condition': '顺序流缺少条件', 'Element is missing bpmndi': '环节缺少图形信息',
  'Gateway is superfluous. It only has one source and target.': '多余的网关：只有一个入口和一个出口',
  'No Issues': '没有问题', '{errors} Errors, {warnings} Warnings': '{errors} 个错误，{warnings} 个警告',
  'Toggle linting overlays': '显示/隐藏检查标记', 'Issues for child elements': '子环节的问题',
  // minimap
  'Open minimap': '打开缩略图', 'Close minimap': '关闭缩略图',
  // yishi's own panel group
  'Yishi': '议事', 'Form of this step': '本环节的表单', 'Groups who may do this step': '可办理的组',
  'Who does this step': '办理方式', 'One person': '一人办理', 'Several people at once (countersign)': '多人同时办理（会签）',
  'Several people in turn': '多人依次办理', 'Signers': '办理人名单',
  'Accounts separated by commas, or "=" and a form field that holds the list': '用逗号分隔的账号；或以“=”开头，填写保存名单的表单字段',
  'Done when': '何时算完成', 'Everyone has done it': '全部人员办理完', 'A number of them have done it': '其中若干人办理完即可',
  'Any one has done it': '任一人办理完即可（或签）', 'How many suffice': '需要几人',
  'Procedure to run': '要调用的流程', 'Starts again': '定期发起', 'Every day': '每天', 'Every week': '每周', 'Every month': '每月',
  'Every quarter': '每季度', 'Every year': '每年',
};

// The properties panel's header names an element's type by splitting it into words ("Timer Boundary
// Event (Non Interrupting)"), the replace menu in sentence case ("Signal boundary event
// (non-interrupting)"): these words compose every such name, so no type is left in English.
const typeWords: Record<string, string> = {
  Collaboration: '协作', Participant: '参与者', Lane: '泳道', Process: '流程', User: '用户', Service: '服务', Send: '发送',
  Receive: '接收', Manual: '手工', Business: '业务', Rule: '规则', Script: '脚本', Task: '任务', Call: '调用', Activity: '活动',
  Start: '开始', End: '结束', Intermediate: '中间', Throw: '抛出', Catch: '捕获', Boundary: '边界', Event: '事件',
  Message: '消息', Timer: '定时', Error: '错误', Terminate: '终止', Signal: '信号', Escalation: '升级', Conditional: '条件',
  Compensate: '补偿', Compensation: '补偿', Link: '链接', Cancel: '取消', Exclusive: '排他', Parallel: '并行', Inclusive: '包容', Complex: '复杂',
  Gateway: '网关', Sub: '子', Expanded: '展开的', Collapsed: '折叠的', Sequence: '顺序', Flow: '流', Default: '默认',
  Association: '关联', Data: '数据', Object: '对象', Reference: '引用', Store: '存储', Text: '文本', Annotation: '注释',
  Group: '分组', Transaction: '事务', Ad: '', Hoc: '自由',
};
const typeNames: Record<string, string> = { 'Event Based Gateway': '事件网关' };

function typeName(template: string): string | undefined {
  const [, words, nonInterrupting] = /^([A-Z][a-z]*(?: [A-Za-z][a-z]*)*)( \((?:Non Interrupting|non-interrupting)\))?$/.exec(template) ?? [];
  if (!words) return undefined;
  const parts = words.split(' ').map((w) => w[0]!.toUpperCase() + w.slice(1));
  if (!typeNames[words] && !parts.every((w) => w in typeWords)) return undefined;
  return (typeNames[words] ?? parts.map((w) => typeWords[w]).join('')) + (nonInterrupting ? '（不中断）' : '');
}

/** A diagram-js `translate` service over a Chinese dictionary (bpmn-js and dmn-js ask it for every label). */
export function translateWith(dictionary: Record<string, string>, locale: 'zh' | 'en') {
  const translate = (template: string, replacements: Record<string, string> = {}) =>
    (locale === 'zh' ? (dictionary[template] ?? typeName(template) ?? template) : template).replace(/{([^}]+)}/g, (_m, key) => replacements[key] ?? `{${key}}`);
  return { translate: ['value', translate] };
}

export const translateModule = (locale: 'zh' | 'en') => translateWith(zh, locale);
