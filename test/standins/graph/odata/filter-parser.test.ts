import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../../local/standins/graph/errors.js';
import { evaluateFilter } from '../../../../local/standins/graph/odata/filter-eval.js';
import { parseFilter } from '../../../../local/standins/graph/odata/filter-parser.js';
import { analyzeFilter, GROUP_FILTER_RULES, USER_FILTER_RULES } from '../../../../local/standins/graph/odata/filter-rules.js';

function failure(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected a GraphError');
}

const adele = {
  displayName: 'Adele Vance',
  mail: 'adele.vance@contoso.com',
  accountEnabled: true,
  userType: 'Member',
  proxyAddresses: ['SMTP:adele.vance@contoso.com', 'smtp:av@contoso.com'],
  assignedLicenses: [{ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', disabledPlans: [] }],
};

describe('$filter parser and evaluator', () => {
  it('unescapes doubled quotes inside literals', () => {
    const ast = parseFilter("displayName eq 'O''Brien Team'");
    expect(ast).toEqual({ kind: 'cmp', op: 'eq', left: { kind: 'path', segments: ['displayName'] }, right: { kind: 'literal', type: 'string', value: "O'Brien Team" } });
  });

  it('reports syntax errors at the position just past the offending token', () => {
    expect(failure(() => parseFilter("name eq 'Bryan's Book'")).message).toBe("Invalid filter clause: Syntax error at position 16 in 'name eq 'Bryan's Book''.");
    expect(failure(() => parseFilter("jobtitle ge '!' , accountenabled eq true")).message).toBe(
      "Invalid filter clause: Syntax error at position 17 in 'jobtitle ge '!' , accountenabled eq true'.",
    );
    expect(failure(() => parseFilter("displayName eq 'unterminated")).code).toBe('BadRequest');
    expect(failure(() => parseFilter('displayName eq')).code).toBe('BadRequest');
  });

  it('evaluates precedence: and binds tighter than or; not negates', () => {
    const ast = parseFilter("userType eq 'Guest' or accountEnabled eq true and startswith(displayName,'ad')");
    expect(evaluateFilter(ast, adele)).toBe(true);
    expect(evaluateFilter(parseFilter("not(startswith(displayName,'Ad'))"), adele)).toBe(false);
    expect(evaluateFilter(parseFilter("(userType eq 'Guest' or accountEnabled eq true) and displayName eq 'x'"), adele)).toBe(false);
  });

  it('evaluates lambdas on strings and on license objects', () => {
    expect(evaluateFilter(parseFilter("proxyAddresses/any(p:p eq 'SMTP:AV@contoso.com')"), adele)).toBe(true);
    expect(evaluateFilter(parseFilter("proxyAddresses/any(p:endswith(p,'@fabrikam.com'))"), adele)).toBe(false);
    expect(evaluateFilter(parseFilter('assignedLicenses/any(u:u/skuId eq CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46)'), adele)).toBe(true);
    expect(evaluateFilter(parseFilter('assignedLicenses/$count eq 0'), adele)).toBe(false);
  });

  it('classifies plain and advanced filters', () => {
    const advanced = (f: string) => analyzeFilter(parseFilter(f), USER_FILTER_RULES).advanced;
    expect(advanced("mail eq 'a@b.com'")).toBe(false);
    expect(advanced("proxyAddresses/any(p:startswith(p,'smtp:a'))")).toBe(false);
    expect(advanced("mail ne 'a@b.com'")).toBe(true);
    expect(advanced("endswith(userPrincipalName,'@contoso.com')")).toBe(true);
    expect(advanced('mail eq null')).toBe(true);
    expect(advanced('onPremisesSyncEnabled eq true')).toBe(true);
    expect(analyzeFilter(parseFilter("groupTypes/any(c:c eq 'Unified')"), GROUP_FILTER_RULES).advanced).toBe(false);
  });

  it('refuses what directory queries do not support', () => {
    expect(failure(() => analyzeFilter(parseFilter("contains(displayName,'a')"), USER_FILTER_RULES)).message).toBe("Unsupported property filter clause operator 'Contains'.");
    expect(failure(() => analyzeFilter(parseFilter("proxyAddresses eq 'smtp:a@b.com'"), USER_FILTER_RULES)).code).toBe('Request_UnsupportedQuery');
    expect(failure(() => analyzeFilter(parseFilter("accountEnabled eq 'true'"), USER_FILTER_RULES)).message).toContain("'Edm.Boolean' and 'Edm.String'");
    expect(failure(() => analyzeFilter(parseFilter("displayName gt 'a'"), USER_FILTER_RULES)).code).toBe('Request_UnsupportedQuery');
  });
});
