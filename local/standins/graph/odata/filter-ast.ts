/** Parsed $filter expressions. */

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string }
  | { kind: 'literal'; type: 'guid'; value: string }
  | { kind: 'literal'; type: 'number'; value: number }
  | { kind: 'literal'; type: 'boolean'; value: boolean }
  | { kind: 'literal'; type: 'null'; value: null };

/** A property path such as `userPrincipalName`, `assignedLicenses/$count`, or `u/skuId` inside a lambda. */
export interface PathOperand {
  kind: 'path';
  segments: string[];
}

export type Operand = Literal | PathOperand;

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'cmp'; op: ComparisonOp; left: Operand; right: Operand }
  | { kind: 'in'; left: Operand; values: Literal[] }
  | { kind: 'func'; name: 'startswith' | 'endswith' | 'contains'; args: [Operand, Operand] }
  | { kind: 'lambda'; collection: string[]; quantifier: 'any' | 'all'; variable: string; body: FilterNode };
