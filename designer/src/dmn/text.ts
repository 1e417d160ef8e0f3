// The DMN pages' own words (kept out of the shared dictionary, which every page loads).
const zh = {
  decisionTables: '决策表', newDecisionTable: '新建决策表', key: '文件编号', name: '名称', create: '新建',
  keyHelp: '字母开头，可含字母、数字、-、_、.（业务规则任务按决策编号调用）',
  decisionsInside: '包含的决策', deploy: '发布新版本', deployed: '已发布版本', staleVersion: '该决策表已被他人修改',
  exportDmn: '导出 DMN', back: '流程设计', version: '版本', inherited: '继承自', none: '还没有决策表',
  newTable: '新决策表', undo: '撤销', redo: '重做',
};
const en: typeof zh = {
  decisionTables: 'Decision tables', newDecisionTable: 'New decision table', key: 'File id', name: 'Name', create: 'Create',
  keyHelp: 'A letter first, then letters, digits, -, _ or . (business rule tasks call decisions by id)',
  decisionsInside: 'Decisions', deploy: 'Deploy as new version', deployed: 'Deployed version', staleVersion: 'Someone else changed this decision table',
  exportDmn: 'Export DMN', back: 'Design', version: 'Version', inherited: 'inherited from', none: 'No decision tables yet',
  newTable: 'New decision table', undo: 'Undo', redo: 'Redo',
};

export const dmnText = (locale: 'zh' | 'en') => (locale === 'zh' ? zh : en);
/** A document key, as the server takes it (escaped so that it also works as an HTML pattern attribute). */
export const DMN_KEY = /^[A-Za-z_][A-Za-z0-9._\-]{0,127}$/;
