import { describe, expect, it } from 'vitest';
import { analyzeTemplate, analyzeValue, ExpressionError } from '../../../local/runtime/expressions/index.js';

describe('analyzeTemplate / analyzeValue', () => {
  it('lists functions and the names a template refers to', () => {
    const a = analyzeTemplate(
      "@{body('Get_user')?['id']}-@{variables('counter')}-@{items('Loop')}-@{parameters('tenant')}-@{appsetting('X')}-@{result('Try')}",
    );
    expect(a.functions.sort()).toEqual(['appsetting', 'body', 'items', 'parameters', 'result', 'variables']);
    expect(a.actionRefs.sort()).toEqual(['Get_user', 'Try']);
    expect(a.variableRefs).toEqual(['counter']);
    expect(a.loopRefs).toEqual(['Loop']);
    expect(a.parameterRefs).toEqual(['tenant']);
    expect(a.appsettingRefs).toEqual(['X']);
  });

  it('ignores names that are not literals and plain strings', () => {
    expect(analyzeTemplate("@outputs(concat('a', 'b'))").actionRefs).toEqual([]);
    expect(analyzeTemplate('no expressions here').functions).toEqual([]);
  });

  it('merges over a whole JSON value including @ keys', () => {
    const a = analyzeValue({
      a: ["@outputs('One')", { b: "@iterationIndexes('Until_x')" }],
      "@{variables('k')}": 1,
      n: 5,
    });
    expect(a.actionRefs).toEqual(['One']);
    expect(a.loopRefs).toEqual(['Until_x']);
    expect(a.variableRefs).toEqual(['k']);
  });

  it('reports unknown functions without failing, but throws on syntax errors', () => {
    expect(analyzeTemplate('@madeUp(1)').functions).toEqual(['madeUp']);
    expect(() => analyzeValue({ x: "@concat('a'" })).toThrow(ExpressionError);
  });
});
