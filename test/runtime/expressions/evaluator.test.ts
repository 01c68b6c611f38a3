import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, ExpressionError, evaluateCondition, evaluateTemplate, evaluateValue } from '../../../local/runtime/expressions/index.js';
import { fakeContext } from './fake-context.js';

const ev = (text: string) => evaluateTemplate(text, fakeContext());

describe('null-safe access', () => {
  it('returns null through ?[] and ?. when a property is missing or the base is null', () => {
    expect(ev("@triggerBody()?['missing']")).toBeNull();
    expect(ev("@triggerBody()?['missing']?['deeper']")).toBeNull();
    expect(ev('@triggerBody()?.fields?.notify?.x')).toBeNull();
    expect(ev("@coalesce(triggerBody()?['fields']?['manager'], 'none')")).toBe('none');
  });

  it('fails without ? and says which property and what exists', () => {
    expect(() => ev("@triggerBody()['missing']")).toThrow(/property 'missing' doesn't exist, available properties are 'intent', 'fields', 'items'/);
    expect(() => ev("@triggerBody()?['fields']['notify']['x']")).toThrow(/property 'x' cannot be selected from a null value/);
  });

  it('indexes arrays, with ?[] giving null out of range', () => {
    expect(ev("@triggerBody()['items'][1]")).toBe(2);
    expect(ev("@triggerBody()?['items']?[9]")).toBeNull();
    expect(() => ev("@triggerBody()['items'][9]")).toThrow(/array index '9' is outside bounds/);
  });

  it('matches property names case-insensitively, preferring the exact spelling', () => {
    expect(ev("@triggerBody()['INTENT']")).toBe('Password Reset');
    expect(ev('@triggerBody().Fields.UPN')).toBe('ada@contoso.com');
  });
});

describe('interpolation and typing', () => {
  it('keeps JSON types for whole-value expressions', () => {
    expect(ev("@parameters('retries')")).toBe(4);
    expect(ev("@parameters('config')")).toEqual({ region: 'eu' });
    expect(ev("@variables('flag')")).toBe(true);
  });

  it('always yields strings for @{...} with culture-invariant formatting', () => {
    expect(ev("@{parameters('retries')}")).toBe('4');
    expect(ev("Flag: @{variables('flag')}, none: '@{null}'")).toBe("Flag: True, none: ''");
    expect(ev("@{parameters('config')}")).toBe('{"region":"eu"}');
    expect(ev('@{div(1, 3.0)}')).toBe('0.3333333333333333');
    expect(ev('@{mul(1e10, 1e10)}')).toBe('1E+20');
    expect(ev("@{createArray(1, 2.5, 'x')}")).toBe('[1,2.5,"x"]');
  });

  it('calls functions case-insensitively', () => {
    expect(ev("@TOUPPER(conCat('a', 'b'))")).toBe('AB');
    expect(ev("@lENgth(createArray('a'))")).toBe(1);
  });

  it('short-circuits and/or/if/coalesce', () => {
    expect(ev("@if(equals(1, 1), 'yes', variables('undefinedVariable'))")).toBe('yes');
    expect(ev("@or(true, actions('nope'))")).toBe(true);
    expect(ev("@and(false, actions('nope'))")).toBe(false);
    expect(ev("@coalesce(null, 'first', variables('undefinedVariable'))")).toBe('first');
  });

  it('returns binary content as the {$content-type,$content} envelope', () => {
    expect(ev("@base64ToBinary('aGk=')")).toEqual({ '$content-type': 'application/octet-stream', '$content': 'aGk=' });
    expect(ev("@{base64ToBinary('aGk=')}")).toBe('hi');
  });
});

describe('evaluateValue', () => {
  it('evaluates every string in a JSON value, and keys that contain @', () => {
    const value = {
      upn: "@triggerBody()?['fields']?['upn']",
      text: 'Reset for @{triggerBody()?.fields?.upn}',
      list: ['@add(1, 2)', 'plain', 5, null, { nested: '@variables(\'names\')' }],
      "@{parameters('tenantId')}-key": '@@literal',
    };
    expect(evaluateValue(value, fakeContext())).toEqual({
      upn: 'ada@contoso.com',
      text: 'Reset for ada@contoso.com',
      list: [3, 'plain', 5, null, { nested: ['x', 'y'] }],
      'contoso-key': '@literal',
    });
  });

  it('leaves Graph annotations alone unless they start with @ (which must be escaped as @@)', () => {
    const body = { '@@odata.type': '#microsoft.graph.user', 'members@odata.bind': ['https://graph/users/1'], note: 'mail me@home' };
    expect(evaluateValue(body, fakeContext())).toEqual({
      '@odata.type': '#microsoft.graph.user',
      'members@odata.bind': ['https://graph/users/1'],
      note: 'mail me@home',
    });
    expect(() => evaluateValue({ '@odata.type': 'x' }, fakeContext())).toThrow(ExpressionError);
  });

  it('keeps a "__proto__" key from JSON as data', () => {
    const v = evaluateTemplate('@json(\'{"__proto__": {"x": 1}, "a": 2}\')', fakeContext()) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('workflow functions through the context', () => {
  it('reads trigger outputs, body and queries', () => {
    expect(ev("@triggerOutputs()['queries']['mode']")).toBe('test');
    expect(ev("@trigger().outputs.body.intent")).toBe('Password Reset');
    expect(ev("@triggerBody()?['intent']")).toBe('Password Reset');
  });

  it('reads actions, outputs and body', () => {
    expect(ev("@body('Get_user')?['displayName']")).toBe('Ada');
    expect(ev("@outputs('Get_user')['statusCode']")).toBe(200);
    expect(ev("@actions('Failed_call')['status']")).toBe('Failed');
    expect(ev("@actions('Failed_call')?['error']?['code']")).toBe('BadRequest');
    expect(ev("@body('Failed_call')")).toBeNull();
  });

  it('reads result(), variables, loops, parameters, app settings and workflow()', () => {
    expect(ev("@length(result('Try'))")).toBe(2);
    expect(ev("@result('Try')[1]['status']")).toBe('Failed');
    expect(ev("@variables('counter')")).toBe(3);
    expect(ev("@item()?['upn']")).toBe('bob@contoso.com');
    expect(ev("@items('For_each_user')['upn']")).toBe('carol@contoso.com');
    expect(ev("@iterationIndexes('Until_done')")).toBe(2);
    expect(ev("@parameters('tenantId')")).toBe('contoso');
    expect(ev("@appsetting('GRAPH_BASE_URL')")).toBe('http://127.0.0.1:7081');
    expect(ev('@workflow().name')).toBe('password-reset');
  });

  it('reads url-encoded form data', () => {
    expect(ev("@formDataValue('Upload', 'a')")).toBe('1');
    expect(ev("@formDataMultiValues('Upload', 'b')")).toEqual(['2', '3']);
    expect(() => ev("@formDataValue('Upload', 'b')")).toThrow(/multiple values/);
  });

  it('reads multipart form data from the trigger body', () => {
    const part = (name: string, text: string) => ({
      headers: { 'Content-Disposition': `form-data; name="${name}"` },
      body: { '$content-type': 'application/octet-stream', '$content': Buffer.from(text).toString('base64') },
    });
    const ctx = fakeContext({
      trigger: () => ({ outputs: { body: { '$content-type': 'multipart/form-data; boundary=x', '$content': '', '$multipart': [part('x', 'y=z'), part('note', 'hi')] } } }),
    });
    expect(evaluateTemplate("@triggerFormDataValue('note')", ctx)).toBe('hi');
    expect(evaluateTemplate('@{triggerMultipartBody(0)}', ctx)).toBe('y=z');
  });

  it('uses action() and listCallbackUrl() only when the context offers them', () => {
    expect(() => ev('@action()')).toThrow(/'action' is not available/);
    const ctx = fakeContext({ action: () => ({ outputs: { statusCode: 201 } }) });
    expect(evaluateTemplate('@action().outputs.statusCode', ctx)).toBe(201);
  });

  it('surfaces context errors as ExpressionError with code InvalidTemplate', () => {
    try {
      ev("@body('Unknown_action')");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionError);
      expect((err as ExpressionError).code).toBe('InvalidTemplate');
      expect((err as Error).message).toContain("The action 'Unknown_action' does not exist");
    }
  });

  it('EMPTY_CONTEXT refuses every workflow function clearly but evaluates the rest', () => {
    expect(evaluateTemplate("@concat('a', string(add(1, 2)))", EMPTY_CONTEXT)).toBe('a3');
    for (const text of ["@parameters('x')", '@trigger()', "@variables('v')", '@item()', '@workflow()', "@appsetting('A')"]) {
      expect(() => evaluateTemplate(text, EMPTY_CONTEXT)).toThrow(/cannot be used here/);
    }
  });
});

describe('error messages', () => {
  const message = (text: string) => {
    try {
      ev(text);
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionError);
      expect((err as ExpressionError).code).toBe('InvalidTemplate');
      return (err as Error).message;
    }
    throw new Error(`${text} did not fail`);
  };

  it('name the failing function and the reason', () => {
    expect(message("@int('abc')")).toContain('Could not parse abc as int');
    expect(message("@add(1, 'x')")).toMatch(/function 'add' expects its second parameter .* type 'String'/);
    expect(message("@substring('abc', 2, 5)")).toMatch(/function 'substring' parameters are out of range/);
    expect(message('@div(1, 0)')).toMatch(/function 'div' failed: Attempted to divide by zero/);
    expect(message('@add(9223372036854775807, 1)')).toMatch(/function 'add' failed: Arithmetic operation resulted in an overflow/);
    expect(message("@length('a', 'b')")).toMatch(/function 'length' expects one parameter. The function was invoked with '2' parameters/);
    expect(message('@noSuchFunction()')).toContain("The template function 'noSuchFunction' is not defined or not valid");
    expect(message("@json('{\"a\": }')")).toMatch(/function 'json' parameter is not valid.*unexpected character '}'/);
    expect(message("@formatDateTime('2024-01-01T00:00:00Z', 'Q')")).toContain("The date format 'Q' is not a valid .NET standard date and time format string");
  });
});

describe('evaluateCondition (object form of If/Until expressions)', () => {
  it('evaluates nested function objects with case-insensitive names and a lone argument', () => {
    const expression = {
      and: [{ not: { equals: [{ lENgth: ['a'] }, 2] } }, { equals: [2, 2] }],
    };
    expect(evaluateCondition(expression, fakeContext())).toBe(true);
  });

  it('evaluates template strings inside and short-circuits', () => {
    const ctx = fakeContext();
    expect(evaluateCondition({ equals: ["@triggerBody()?['intent']", 'Password Reset'] }, ctx)).toBe(true);
    expect(evaluateCondition({ or: [true, { equals: ["@actions('nope')", 1] }] }, ctx)).toBe(true);
    expect(evaluateCondition('@greater(variables(\'counter\'), 2)', ctx)).toBe(true);
    expect(evaluateCondition({ contains: [['a', '@{variables(\'counter\')}'], '3'] }, ctx)).toBe(true);
  });

  it('reports arity and unknown-action errors as InvalidTemplate', () => {
    expect(() => evaluateCondition({ equals: [1] }, fakeContext())).toThrow(/'equals' expects two parameters/);
    expect(() => evaluateCondition({ equals: ["@body('Missing')", 1] }, fakeContext())).toThrow(ExpressionError);
  });
});
