// Chinese for dmn-js: the decision table editor (hit policies, columns, rules, cell editors) and the
// requirements diagram's palette. What is not listed stays English.
import { translateWith } from '../bpmn/translate';

const zh: Record<string, string> = {
  // hit policies
  'Hit policy': '命中策略', 'Hit policy:': '命中策略：', Unique: '唯一 (U)', First: '首个 (F)', Priority: '优先级 (P)', Any: '任一 (A)',
  Collect: '收集 (C)', 'Collect (Sum)': '收集求和 (C+)', 'Collect (Min)': '收集最小 (C<)', 'Collect (Max)': '收集最大 (C>)',
  'Collect (Count)': '收集计数 (C#)', 'Rule order': '规则顺序 (R)', 'Output order': '输出顺序 (O)',
  'No overlap is possible and all rules are disjoint. Only a single rule can be matched': '规则互不重叠，只能命中一条规则',
  'Rules may overlap. The first matching rule will be chosen': '规则可以重叠，取第一条命中的规则',
  'Rules may overlap. The one with the highest priority will be chosen': '规则可以重叠，取输出优先级最高的一条',
  'Rules may overlap. Their output have to match': '规则可以重叠，但命中的输出必须相同',
  'Collects the values of all matching rules': '收集所有命中规则的输出',
  'Collects the values of all matching rules and sums up to a single value': '收集所有命中规则的输出并求和',
  'Collects the values of all matching rules and uses the lowest value': '收集所有命中规则的输出并取最小值',
  'Collects the values of all matching rules and uses the highest value': '收集所有命中规则的输出并取最大值',
  'Collects the values of all matching rules and counts the number of them': '统计命中规则的条数',
  'Collects the values of all matching rules in rule order': '按规则顺序收集所有命中规则的输出',
  'Collects the values of all matching rules in decreasing output priority order': '按输出优先级从高到低收集',
  // table
  When: '条件', And: '且', Then: '结果', Annotation: '备注', Annotations: '备注', Input: '输入', Output: '输出',
  'Add rule': '添加规则', 'Add rule above': '在上方添加规则', 'Add rule below': '在下方添加规则', 'Remove rule': '删除规则',
  'Copy rule': '复制规则', 'Cut rule': '剪切规则', 'Paste rule above': '粘贴到上方', 'Paste rule below': '粘贴到下方', 'Move rule': '移动规则',
  'Add input': '添加输入列', 'Add output': '添加输出列', 'Add input column left': '在左侧添加输入列', 'Add input column right': '在右侧添加输入列',
  'Add output column left': '在左侧添加输出列', 'Add output column right': '在右侧添加输出列',
  'Remove input column': '删除输入列', 'Remove output column': '删除输出列', 'Copy input column': '复制输入列', 'Copy output column': '复制输出列',
  'Cut input column': '剪切输入列', 'Cut output column': '剪切输出列', 'Paste input column left': '粘贴到左侧', 'Paste input column right': '粘贴到右侧',
  'Paste output column left': '粘贴到左侧', 'Paste output column right': '粘贴到右侧',
  'Add cell description': '添加单元格说明', 'Remove cell description': '删除单元格说明',
  'Edit input': '编辑输入', 'Edit output': '编辑输出', 'Input label': '输入名称', 'Input label: ': '输入名称：', 'Input expression': '输入表达式',
  'Input expression: ': '输入表达式：', 'Input type': '输入类型', 'Input values': '输入取值', 'Output label': '输出名称', 'Output label: ': '输出名称：',
  'Output name': '结果变量名', 'Output name: ': '结果变量名：', 'Output type': '输出类型', 'Output values': '输出取值',
  'Expression language': '表达式语言', 'Expression language: {expressionLanguageLabel}': '表达式语言：{expressionLanguageLabel}',
  'Change cell expression language': '更改单元格表达式语言', Expression: '表达式', 'Enter expression': '输入表达式', Type: '类型',
  'Decision name': '决策名称', 'Decision name: ': '决策名称：', 'View DRD': '查看需求图',
  // cell editors
  'Predefined values': '预设取值', 'Add predefined values': '添加预设取值', 'Clear predefined values': '清除预设取值', 'Add values': '添加取值',
  'Custom values': '自定义取值', Values: '取值', Value: '值', 'No values': '无取值', 'Set value': '设定值', 'Match one': '匹配其一', 'Match none': '都不匹配',
  'Strings must be in double quotes': '文字须写在英文双引号中', 'String value': '文字', 'Boolean value': '是/否', Yes: '是', No: '否',
  'Edit string': '编辑文字', 'Edit number': '编辑数字', 'Edit boolean': '编辑是/否', 'Edit date': '编辑日期', 'Edit time': '编辑时间',
  'Edit date and time': '编辑日期时间', 'Edit duration': '编辑时长', Comparison: '比较', Range: '范围', 'Comparison operator': '比较符',
  Equals: '等于', Less: '小于', 'Less or equals': '小于等于', Greater: '大于', 'Greater or equals': '大于等于', Include: '含', Exclude: '不含',
  'Start value': '起始值', 'End value': '结束值', 'Range start operator': '起点', 'Range end operator': '终点', 'Range start value': '起始值', 'Range end value': '结束值',
  Date: '日期', Time: '时间', 'Date and time': '日期时间', Exactly: '恰为', Before: '早于', After: '晚于', Between: '介于', 'Use today': '今天', 'Use now': '现在',
  'Test type': '检验方式', Edit: '编辑', Delete: '删除', Resize: '调整宽度',
  // requirements diagram
  'Create decision': '新建决策', 'Create input data': '新建输入数据', 'Create knowledge model': '新建知识模型', 'Create knowledge source': '新建知识来源',
  'Append decision': '追加决策', 'Append input data': '追加输入数据', 'Append knowledge source': '追加知识来源', 'Append business knowledge model': '追加知识模型',
  'Add text annotation': '添加注释', 'Connect to other element': '连线', 'Change type': '更改类型',
  'Activate hand tool': '抓手工具', 'Activate lasso tool': '套索工具', 'Definition ID': '文件编号', 'Definition name': '文件名称',
};

export const dmnTranslateModule = (locale: 'zh' | 'en') => translateWith(zh, locale);
