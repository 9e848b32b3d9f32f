/**
 * Compiles a filter policy the way AWS's event-ruler does (SNS validates and matches policies
 * with it): one pass over the JSON tokens, failing at the first problem with event-ruler's message
 * at the position the Jackson parser has reached, and expanding "$or" into alternative branches,
 * each a map from a dotted field path to the conditions on that field. When that fails, event-ruler
 * (and SNS, as its docs say) compiles again with "$or" as an ordinary field name, and reports that
 * attempt's error if it fails too. The input must already be well-formed JSON (see parse.ts).
 */
import { CidrError, cidrRange, ipBytes } from './cidr.js';
import type { Condition } from './conditions.js';
import { JsonReader, type JsonToken } from './json-reader.js';
import { LocatedError } from './located-error.js';
import {
  between,
  comparable,
  equalTo,
  greaterThan,
  lessThan,
  NumberRangeError,
  type NumericRange,
  requireComparable,
} from './numeric.js';

export interface FieldRule {
  readonly conditions: readonly Condition[];
  /** How many objects deep the field's array sits: 1 at the top of the policy. */
  readonly depth: number;
}

export type Branch = Map<string, FieldRule>;

export interface CompiledRules {
  readonly branches: Branch[];
  /**
   * Every branch adds at least one to the policy's combinations, so past 150 branches the policy
   * is too complex whatever they hold: "$or" stops multiplying them there, which keeps a policy of
   * many "$or" keys from growing without bound while the rest of it is still checked.
   */
  readonly truncated: boolean;
}

const MAX_BRANCHES = 151;

const OR = '$or';
const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['=', '>', '>=', '<', '<=']);
const ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY_ELEMENTS = 'Too many elements in numeric expression';
// event-ruler refuses its operator names as field names inside "$or"
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

function copyBranches(branches: readonly Branch[]): Branch[] {
  return branches.map((branch) => new Map(branch));
}

class RuleCompiler {
  private readonly reader: JsonReader;
  /** event-ruler's older RuleCompiler: "$or" is a field name like any other. */
  private readonly plain: boolean;
  truncated = false;

  constructor(json: string, plain: boolean) {
    this.reader = new JsonReader(json);
    this.plain = plain;
  }

  compile(): Branch[] {
    const branches: Branch[] = [];
    if (this.next() !== 'startObject') this.fail('Filter is not an object');
    this.object(branches, [], false);
    return branches;
  }

  private next(): JsonToken | undefined {
    return this.reader.nextToken();
  }

  private fail(message: string): never {
    const { line, column } = this.reader.location();
    throw new LocatedError(message, line, column);
  }

  /** Runs a step whose failure event-ruler catches and reports at the parser's position. */
  private located<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof NumberRangeError) this.fail(error.message);
      throw error;
    }
  }

  private object(branches: Branch[], path: readonly string[], inOr: boolean): void {
    let fields = 0;
    while (this.next() !== 'endObject') {
      fields++;
      const step = this.reader.currentName;
      if (step === OR && !this.plain) {
        this.or(branches, path);
        continue;
      }
      if (inOr && RESERVED_IN_OR.has(step)) {
        this.fail(`${step} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      }
      this.field(branches, path, step, inOr);
    }
    if (fields === 0) this.fail('Empty objects are not allowed');
  }

  private field(branches: Branch[], path: readonly string[], step: string, inOr: boolean): void {
    switch (this.next()) {
      case 'startObject':
        this.object(branches, [...path, step], inOr);
        return;
      case 'startArray':
        this.rules(branches, [...path, step].join('.'), path.length + 1);
        return;
      default:
        this.fail(`"${step}" must be an object or an array`);
    }
  }

  private or(branches: Branch[], path: readonly string[]): void {
    const before = copyBranches(branches);
    branches.length = 0;
    if (this.next() !== 'startArray') this.fail(`It must be an Array followed with ${OR}.`);
    let alternatives = 0;
    for (let token = this.next(); token !== 'endArray'; token = this.next()) {
      alternatives++;
      if (token !== 'startObject') this.fail(`Only JSON object is allowed in array of ${OR} relationship.`);
      const alternative = copyBranches(before);
      if (alternative.length === 0) alternative.push(new Map());
      this.object(alternative, path, true);
      branches.push(...alternative.slice(0, MAX_BRANCHES - branches.length));
      if (branches.length === MAX_BRANCHES) this.truncated = true;
    }
    if (alternatives < 2) this.fail(`There must have at least 2 Objects in ${OR} relationship.`);
  }

  private rules(branches: Branch[], name: string, depth: number): void {
    const conditions: Condition[] = [];
    for (let token = this.next(); token !== 'endArray'; token = this.next()) {
      conditions.push(this.value(token));
    }
    if (conditions.length === 0) this.fail('Empty arrays are not allowed');
    if (branches.length === 0) branches.push(new Map());
    const rule: FieldRule = { conditions, depth };
    for (const branch of branches) branch.set(name, rule);
  }

  private value(token: JsonToken | undefined): Condition {
    switch (token) {
      case 'startObject':
        return this.matchExpression();
      case 'string': {
        const value = this.reader.text();
        return { kind: 'string', value, ip: ipBytes(value) };
      }
      case 'number': {
        const value = Number(this.reader.text());
        return { kind: 'number', value, comparable: comparable(value) };
      }
      case 'true':
      case 'false':
      case 'null':
        return { kind: 'literal', value: token };
      default:
        return this.fail('Match value must be String, number, true, false, or null');
    }
  }

  private matchExpression(): Condition {
    if (this.next() !== 'fieldName') this.fail('Match expression name not found');
    const type = this.reader.currentName;
    switch (type) {
      case 'prefix':
      case 'suffix':
      case 'equals-ignore-case': {
        const value = this.stringOperand(`${type} match pattern must be a string`);
        return { kind: type, value: type === 'equals-ignore-case' ? value.toLowerCase() : value };
      }
      case 'numeric':
        return this.numeric();
      case 'anything-but':
        return this.anythingBut();
      case 'exists':
        return this.exists();
      case 'cidr':
        return this.cidr();
      default:
        return this.fail(`Unrecognized match type ${type}`);
    }
  }

  /** The string operand of a one-key match expression, and the expression's end. */
  private stringOperand(error: string): string {
    if (this.next() !== 'string') this.fail(error);
    const value = this.reader.text();
    if (this.next() !== 'endObject') this.fail(ONE_KEY);
    return value;
  }

  private exists(): Condition {
    const token = this.next();
    if (token !== 'true' && token !== 'false')
      this.fail('exists match pattern must be either true or false.');
    if (this.next() !== 'endObject') this.fail(ONE_KEY);
    return { kind: 'exists', value: token === 'true' };
  }

  private cidr(): Condition {
    // event-ruler's own (misleading) message for a cidr that is not a string
    if (this.next() !== 'string') this.fail('prefix match pattern must be a string');
    const range = cidrRange(this.reader.text());
    if (this.next() !== 'endObject') this.fail(ONE_KEY);
    return { kind: 'cidr', range };
  }

  private numeric(): Condition {
    if (this.next() !== 'startArray') this.fail('Value of numeric must be an array.');
    const range = this.numericExpression();
    if (this.next() !== 'endObject') this.fail(TOO_MANY_ELEMENTS);
    return { kind: 'numeric', range };
  }

  private numberOperand(operator: string): number {
    if (this.reader.token !== 'number')
      this.fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
    return Number(this.reader.text());
  }

  private numericExpression(): NumericRange {
    if (this.next() !== 'string') this.fail(`Invalid member in numeric match: ${this.reader.text()}`);
    const operator = this.reader.text();
    if (!NUMERIC_OPERATORS.has(operator)) {
      this.next();
      this.fail(`Unrecognized numeric range operator: ${operator}`);
    }
    this.next();
    const value = this.numberOperand(operator);
    if (operator === '>' || operator === '>=') return this.lowerBound(value, operator === '>');
    if (this.next() !== 'endArray') this.fail(TOO_MANY_ELEMENTS);
    return this.located(() => (operator === '=' ? equalTo(value) : lessThan(value, operator === '<')));
  }

  private lowerBound(bottom: number, openBottom: boolean): NumericRange {
    const token = this.next();
    if (token === 'endArray') return this.located(() => greaterThan(bottom, openBottom));
    if (token !== 'string') this.fail(`Bad value in numeric range: ${this.reader.text()}`);
    const operator = this.reader.text();
    if (operator !== '<' && operator !== '<=') this.fail(`Bad numeric range operator: ${operator}`);
    this.next();
    const top = this.numberOperand(operator);
    if (this.next() !== 'endArray') this.fail('Too many terms in numeric range expression');
    return this.located(() => between(bottom, openBottom, top, operator === '<'));
  }

  private anythingBut(): Condition {
    let token = this.next();
    let ignoreCase = false;
    if (token === 'startObject') {
      if (this.next() !== 'fieldName') this.fail('Anything-But expression name not found');
      const operator = this.reader.currentName;
      if (operator !== 'equals-ignore-case') return this.anythingButAffix(operator);
      ignoreCase = true;
      token = this.next();
    }
    if (token !== 'startArray' && token !== 'string' && token !== 'number') {
      this.fail('Value of anything-but must be an array or single string/number value.');
    }
    const condition = ignoreCase ? this.anythingButIgnoreCase(token) : this.anythingButValues(token);
    if (this.next() !== 'endObject') this.fail(TOO_MANY_ELEMENTS);
    if (ignoreCase && this.next() !== 'endObject') this.fail(TOO_MANY_ELEMENTS);
    return condition;
  }

  private anythingButAffix(operator: string): Condition {
    if (operator !== 'prefix' && operator !== 'suffix')
      this.fail(`Unsupported anything-but pattern: ${operator}`);
    if (this.next() !== 'string') this.fail('prefix/suffix match pattern must be a string');
    const value = this.reader.text();
    if (value === '') this.fail('Null prefix/suffix not allowed');
    if (this.next() !== 'endObject') this.fail(ONE_KEY);
    if (this.next() !== 'endObject') this.fail(ONE_KEY);
    return { kind: operator === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value };
  }

  private anythingButValues(token: 'startArray' | 'string' | 'number'): Condition {
    if (token === 'string') return { kind: 'anything-but-string', values: new Set([this.reader.text()]) };
    // event-ruler does not catch a single number out of range: its message comes without a position
    if (token === 'number') {
      return {
        kind: 'anything-but-number',
        values: new Set([requireComparable(Number(this.reader.text()))]),
      };
    }
    const strings = new Set<string>();
    const numbers = new Set<number>();
    for (let t = this.next(); t !== 'endArray'; t = this.next()) {
      if (t === 'string') strings.add(this.reader.text());
      else if (t === 'number') numbers.add(this.located(() => requireComparable(Number(this.reader.text()))));
      else this.fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if (strings.size > 0 === numbers.size > 0) {
      this.fail(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return strings.size > 0
      ? { kind: 'anything-but-string', values: strings }
      : { kind: 'anything-but-number', values: numbers };
  }

  private anythingButIgnoreCase(token: 'startArray' | 'string' | 'number'): Condition {
    if (token === 'number') {
      this.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    }
    if (token === 'string') {
      return { kind: 'anything-but-ignore-case', values: new Set([this.reader.text().toLowerCase()]) };
    }
    const values = new Set<string>();
    for (let t = this.next(); t !== 'endArray'; t = this.next()) {
      if (t !== 'string') {
        this.fail(
          'Inside anything-but/equals-ignore-case list, numberic|start|null|boolean is not supported.',
        );
      }
      values.add(this.reader.text().toLowerCase());
    }
    return { kind: 'anything-but-ignore-case', values };
  }
}

/**
 * The policy's alternative branches (one unless it uses "$or"). Throws LocatedError with
 * event-ruler's message; a bad cidr throws without a position (event-ruler does not catch it).
 */
function run(json: string, plain: boolean): CompiledRules {
  const compiler = new RuleCompiler(json, plain);
  return { branches: compiler.compile(), truncated: compiler.truncated };
}

export function compileRules(json: string): CompiledRules {
  try {
    try {
      return run(json, false);
    } catch (error) {
      // only event-ruler's parse errors (those with a position) send it back to the older compiler
      if (error instanceof LocatedError && error.line !== undefined) return run(json, true);
      throw error;
    }
  } catch (error) {
    if (error instanceof CidrError || error instanceof NumberRangeError)
      throw new LocatedError(error.message);
    throw error;
  }
}
