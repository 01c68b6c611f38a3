import { errors, GraphError } from '../errors.js';
import type { FilterNode, Operand } from './filter-ast.js';

/**
 * Which properties each collection lets you filter on and with which operators, split into what works
 * as a plain query and what only works as an advanced query (ConsistencyLevel: eventual + $count=true).
 * From https://learn.microsoft.com/graph/api/resources/user and https://learn.microsoft.com/graph/aad-advanced-queries.
 */
export type FilterOp = 'eq' | 'ne' | 'not' | 'ge' | 'le' | 'in' | 'startswith' | 'endswith' | 'eqnull' | 'count' | 'any';
export type PropertyType = 'string' | 'boolean' | 'guid' | 'strings' | 'licenses';

export interface PropertyRule {
  type: PropertyType;
  basic: readonly FilterOp[];
  advanced: readonly FilterOp[];
}

export interface FilterRules {
  /** Resource name used in Graph's messages: 'User', 'Group'. */
  resource: string;
  /** OData type name used in "Could not find a property" messages. */
  typeName: string;
  properties: Readonly<Record<string, PropertyRule>>;
  /** Real properties that exist but cannot be filtered on. */
  unfilterable: readonly string[];
  /** Navigation collections (members) accept $filter only as an advanced query. */
  everythingAdvanced?: boolean;
}

const TEXT: PropertyRule = { type: 'string', basic: ['eq', 'ge', 'le', 'in', 'startswith'], advanced: ['ne', 'not', 'endswith', 'eqnull'] };
const TEXT_NO_ENDS: PropertyRule = { type: 'string', basic: ['eq', 'ge', 'le', 'in', 'startswith'], advanced: ['ne', 'not', 'eqnull'] };
const BOOL: PropertyRule = { type: 'boolean', basic: ['eq', 'in'], advanced: ['ne', 'not', 'eqnull'] };
const BOOL_ADVANCED: PropertyRule = { type: 'boolean', basic: [], advanced: ['eq', 'ne', 'not', 'in', 'eqnull'] };
const ID: PropertyRule = { type: 'guid', basic: ['eq', 'in'], advanced: ['ne', 'not'] };
const ADDRESSES: PropertyRule = { type: 'strings', basic: ['any', 'eq', 'startswith'], advanced: ['endswith', 'not', 'count'] };

export const USER_FILTER_RULES: FilterRules = {
  resource: 'User',
  typeName: 'microsoft.graph.user',
  properties: {
    id: ID,
    userPrincipalName: TEXT,
    mail: TEXT,
    displayName: TEXT,
    givenName: TEXT_NO_ENDS,
    surname: TEXT_NO_ENDS,
    mailNickname: TEXT,
    jobTitle: TEXT_NO_ENDS,
    department: TEXT_NO_ENDS,
    companyName: { type: 'string', basic: [], advanced: ['eq', 'ne', 'not', 'ge', 'le', 'in', 'startswith', 'eqnull'] },
    employeeId: TEXT_NO_ENDS,
    usageLocation: TEXT_NO_ENDS,
    userType: { type: 'string', basic: ['eq', 'in'], advanced: ['ne', 'not', 'eqnull'] },
    accountEnabled: BOOL,
    onPremisesSyncEnabled: BOOL_ADVANCED,
    proxyAddresses: ADDRESSES,
    otherMails: ADDRESSES,
    assignedLicenses: { type: 'licenses', basic: ['any', 'eq'], advanced: ['count', 'not'] },
  },
  unfilterable: ['officeLocation', 'mobilePhone', 'businessPhones', 'preferredLanguage', 'passwordProfile', 'onPremisesImmutableId', 'createdDateTime', 'mailboxSettings'],
};

export const GROUP_FILTER_RULES: FilterRules = {
  resource: 'Group',
  typeName: 'microsoft.graph.group',
  properties: {
    id: ID,
    displayName: TEXT,
    mail: TEXT,
    mailNickname: TEXT,
    description: { type: 'string', basic: ['ge', 'le', 'startswith'], advanced: ['eq', 'ne', 'not', 'in', 'eqnull'] },
    mailEnabled: BOOL,
    securityEnabled: BOOL,
    isAssignableToRole: { type: 'boolean', basic: ['eq'], advanced: ['ne', 'not'] },
    onPremisesSyncEnabled: BOOL_ADVANCED,
    membershipRuleProcessingState: { type: 'string', basic: ['eq'], advanced: ['ne', 'not', 'in'] },
    groupTypes: { type: 'strings', basic: ['any', 'eq'], advanced: ['not', 'count'] },
    proxyAddresses: ADDRESSES,
  },
  unfilterable: ['membershipRule', 'visibility', 'createdDateTime'],
};

export const DIRECTORY_OBJECT_FILTER_RULES: FilterRules = {
  resource: 'DirectoryObject',
  typeName: 'microsoft.graph.directoryObject',
  properties: {
    id: ID,
    displayName: TEXT,
    userPrincipalName: TEXT,
    mail: TEXT,
    accountEnabled: BOOL,
    userType: USER_FILTER_RULES.properties.userType as PropertyRule,
  },
  unfilterable: [],
  everythingAdvanced: true,
};

export interface FilterAnalysis {
  /** The filter needs ConsistencyLevel: eventual + $count=true. */
  advanced: boolean;
  /** It filters on a property that is only indexed for advanced queries (e.g. onPremisesSyncEnabled). */
  notIndexed: boolean;
}

interface Scope {
  variable?: string;
  element?: PropertyRule;
}

function literalMismatch(rule: PropertyRule, operand: Operand, op: string): GraphError | undefined {
  if (operand.kind !== 'literal' || operand.type === 'null') return undefined;
  const expected = rule.type === 'boolean' ? 'boolean' : rule.type === 'guid' ? 'id' : 'string';
  const ok =
    (expected === 'boolean' && operand.type === 'boolean') ||
    (expected === 'id' && (operand.type === 'string' || operand.type === 'guid')) ||
    (expected === 'string' && operand.type === 'string');
  if (ok) return undefined;
  const edm = (t: string) => ({ boolean: 'Edm.Boolean', string: 'Edm.String', guid: 'Edm.Guid', number: 'Edm.Int32', id: 'Edm.String' })[t] ?? t;
  return errors.invalidFilter(
    `A binary operator with incompatible types was detected. Found operand types '${edm(expected)}' and '${edm(operand.type)}' for operator kind '${op}'.`,
  );
}

const OP_KIND: Record<string, string> = { eq: 'Equal', ne: 'NotEqual', ge: 'GreaterThanOrEqual', le: 'LessThanOrEqual', gt: 'GreaterThan', lt: 'LessThan' };

/** Checks every property and operator in the filter; throws Graph's 400 for what the service refuses. */
export function analyzeFilter(node: FilterNode, rules: FilterRules): FilterAnalysis {
  let advanced = rules.everythingAdvanced === true;
  let notIndexed = false;

  const lookup = (name: string): PropertyRule => {
    const rule = rules.properties[name] ?? Object.entries(rules.properties).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (rule) return rule;
    if (rules.unfilterable.some((p) => p.toLowerCase() === name.toLowerCase())) throw errors.unsupportedFilterProperty(name, rules.resource);
    throw errors.invalidFilter(`Could not find a property named '${name}' on type '${rules.typeName}'.`);
  };

  const use = (rule: PropertyRule, op: FilterOp, name: string) => {
    if (rule.basic.includes(op)) return;
    if (rule.advanced.includes(op)) {
      advanced = true;
      if (rule.basic.length === 0) notIndexed = true;
      return;
    }
    throw errors.unsupportedFilterProperty(name, rules.resource);
  };

  /** Resolves a path operand to its rule: a property, `prop/$count`, the lambda variable or `var/skuId`. */
  const resolve = (operand: Operand, scope: Scope): { rule: PropertyRule; name: string; count: boolean } | undefined => {
    if (operand.kind !== 'path') return undefined;
    const [head, ...rest] = operand.segments as [string, ...string[]];
    if (scope.variable && head === scope.variable && scope.element) {
      return { rule: scope.element, name: rest.join('/') || head, count: false };
    }
    const rule = lookup(head);
    if (rest.length === 1 && rest[0] === '$count') return { rule, name: head, count: true };
    if (rest.length > 0) throw errors.invalidFilter(`Could not find a property named '${rest.join('/')}' on type '${rules.typeName}'.`);
    return { rule, name: head, count: false };
  };

  const walk = (n: FilterNode, scope: Scope, negated: boolean): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        walk(n.left, scope, negated);
        walk(n.right, scope, negated);
        return;
      case 'not':
        walk(n.operand, scope, true);
        return;
      case 'cmp': {
        const target = resolve(n.left, scope);
        if (!target) throw errors.unsupportedQuery();
        if (n.op === 'gt' || n.op === 'lt') throw errors.unsupportedQuery();
        if (target.count) {
          use(target.rule, 'count', target.name);
          return;
        }
        if ((target.rule.type === 'strings' || target.rule.type === 'licenses') && !scope.variable) {
          // Collections need a lambda: proxyAddresses/any(p:p eq '...').
          throw errors.unsupportedFilterProperty(target.name, rules.resource);
        }
        const isNull = n.right.kind === 'literal' && n.right.type === 'null';
        const mismatch = literalMismatch(target.rule, n.right, OP_KIND[n.op] ?? n.op);
        if (scope.variable && target.rule.type === 'licenses') {
          // skuId is an Edm.Guid: Graph wants it unquoted (user-list.md Example 9).
          if (n.right.kind !== 'literal' || n.right.type !== 'guid') {
            const found = n.right.kind === 'literal' && n.right.type === 'string' ? 'Edm.String' : 'Edm.Int32';
            throw errors.invalidFilter(`A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and '${found}' for operator kind '${OP_KIND[n.op] ?? n.op}'.`);
          }
        } else if (mismatch) throw mismatch;
        use(target.rule, isNull && n.op === 'eq' ? 'eqnull' : n.op, target.name);
        if (negated) use(target.rule, 'not', target.name);
        return;
      }
      case 'in': {
        const target = resolve(n.left, scope);
        if (!target) throw errors.unsupportedQuery();
        use(target.rule, 'in', target.name);
        if (negated) use(target.rule, 'not', target.name);
        return;
      }
      case 'func': {
        if (n.name === 'contains') throw new GraphError(400, 'Request_UnsupportedQuery', "Unsupported property filter clause operator 'Contains'.");
        const target = resolve(n.args[0], scope);
        if (!target) throw errors.unsupportedQuery();
        use(target.rule, n.name, target.name);
        if (negated) use(target.rule, 'not', target.name);
        return;
      }
      case 'lambda': {
        const [head, ...rest] = n.collection as [string, ...string[]];
        if (rest.length > 0) throw errors.unsupportedQuery();
        const rule = lookup(head);
        if (rule.type !== 'strings' && rule.type !== 'licenses') throw errors.unsupportedFilterProperty(head, rules.resource);
        if (n.quantifier === 'all') throw errors.unsupportedQuery();
        use(rule, 'any', head);
        if (negated) use(rule, 'not', head);
        walk(n.body, { variable: n.variable, element: rule }, negated);
        return;
      }
    }
  };

  walk(node, {}, false);
  return { advanced, notIndexed };
}
