/**
 * A recursive-descent parser for DynamoDB's expression grammar (conditions, updates,
 * projections), reporting what DynamoDB's own parser reports, in its order:
 *  1. an empty or oversized expression;
 *  2. the first syntax error, as `token: "x", near: "<previous token> x <next token>"`,
 *     or doubled parentheses, whichever the parser meets first;
 *  3. then, in the order they are written: reserved words used as names, list indexes out
 *     of range, unknown functions, functions used where they are not allowed, and update
 *     sections given twice.
 * Placeholders, operand counts and types are checked afterwards (validate.ts).
 */
import type { AwsError } from '../../../errors.js';
import type {
  ArithmeticNode,
  CallNode,
  Comparator,
  ConditionNode,
  Operand,
  PathNode,
  PathSegment,
  UpdateAction,
  UpdateActionKind,
  ValueNode,
} from './ast.js';
import { Tok, type TokenKind, type Tokens, tokenize, tokenText } from './lexer.js';
import { isReservedWord } from './reserved-words.js';
import { validationError } from './validation-error.js';

export type ExpressionLabel =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

const MAX_EXPRESSION_LENGTH = 4096;
const MAX_LIST_INDEX = 2147483647;
// No valid expression nests this deep (it would need more than 300 operators); the cap
// keeps hostile input from exhausting the stack.
const MAX_DEPTH = 1000;

const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
]);
const UPDATE_FUNCTIONS: ReadonlySet<string> = new Set(['if_not_exists', 'list_append']);

const COMPARATORS: ReadonlyMap<TokenKind, Comparator> = new Map<TokenKind, Comparator>([
  [Tok.Eq, '='],
  [Tok.Ne, '<>'],
  [Tok.Lt, '<'],
  [Tok.Le, '<='],
  [Tok.Gt, '>'],
  [Tok.Ge, '>='],
]);

const SECTIONS: ReadonlyMap<TokenKind, UpdateActionKind> = new Map<TokenKind, UpdateActionKind>([
  [Tok.Set, 'SET'],
  [Tok.Remove, 'REMOVE'],
  [Tok.Add, 'ADD'],
  [Tok.Delete, 'DELETE'],
]);

export interface ParsedCondition {
  readonly root: ConditionNode;
  readonly paths: readonly PathNode[];
}

export interface ParsedUpdate {
  /** The actions in the order written. */
  readonly actions: readonly UpdateAction[];
  readonly paths: readonly PathNode[];
}

type Context = 'condition' | 'update';

function checkLength(text: string, label: ExpressionLabel): void {
  if (text.length === 0) throw validationError(`Invalid ${label}: The expression can not be empty;`);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    const size =
      label === 'UpdateExpression' || label === 'ProjectionExpression'
        ? ''
        : ` expression size: ${text.length}`;
    throw validationError(`Invalid ${label}: Expression size has exceeded the maximum allowed size;${size}`);
  }
}

function functionProblem(name: string, context: Context, nested: boolean): string | undefined {
  const isCondition = CONDITION_FUNCTIONS.has(name);
  const isUpdate = UPDATE_FUNCTIONS.has(name);
  if (!isCondition && !isUpdate && name !== 'size') return `Invalid function name; function: ${name}`;
  if (context === 'update') {
    if (!isUpdate) return `The function is not allowed in an update expression; function: ${name}`;
    if (nested && name !== 'if_not_exists')
      return `The function is not allowed to be used this way in an expression; function: ${name}`;
    return undefined;
  }
  if (isUpdate) return `The function is not allowed in a condition expression; function: ${name}`;
  if (nested === isCondition)
    return `The function is not allowed to be used this way in an expression; function: ${name}`;
  return undefined;
}

class Parser {
  private index = 0;
  private depth = 0;
  private deferred: { at: number; message: string } | undefined;
  private readonly list;
  readonly paths: PathNode[] = [];

  constructor(
    private readonly tokens: Tokens,
    private readonly label: ExpressionLabel,
    private readonly context: Context,
  ) {
    this.list = tokens.list;
  }

  private kind(offset = 0): TokenKind {
    return this.list[Math.min(this.index + offset, this.list.length - 1)]!.kind;
  }

  private text(index = this.index): string {
    const token = this.list[index]!;
    return this.tokens.text.slice(token.start, token.end);
  }

  private error(message: string): AwsError {
    return validationError(`Invalid ${this.label}: ${message}`);
  }

  /** A syntax error at the current token, quoting it with its neighbours as DynamoDB does. */
  fail(): never {
    const at = this.index;
    const current = this.list[at]!;
    const from = at > 0 ? this.list[at - 1]!.start : 0;
    const next = this.list[at + 1];
    const to =
      current.kind === Tok.Eof || next === undefined || next.kind === Tok.Eof
        ? this.tokens.text.length
        : next.end;
    const near = this.tokens.text.slice(from, to);
    throw this.error(`Syntax error; token: "${tokenText(this.tokens, at)}", near: "${near}"`);
  }

  private expect(kind: TokenKind): void {
    if (this.kind() !== kind) this.fail();
    this.index++;
  }

  /** Keeps the first (in source order) of the problems found while parsing. */
  private defer(at: number, message: string): void {
    if (this.deferred === undefined || at < this.deferred.at) this.deferred = { at, message };
  }

  finish(): void {
    this.expect(Tok.Eof);
    if (this.deferred !== undefined) throw this.error(this.deferred.message);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail();
  }

  private leave(): void {
    this.depth--;
  }

  /** '(' X ')' whose X is itself exactly one parenthesised group. */
  private checkRedundant(open: number, close: number): void {
    if (this.list[open + 1]!.kind === Tok.LParen && this.tokens.partner[open + 1] === close - 1) {
      throw this.error('The expression has redundant parentheses;');
    }
  }

  // ---- conditions ----

  condition(): ConditionNode {
    let left = this.conjunction();
    while (this.kind() === Tok.Or) {
      this.index++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (this.kind() === Tok.And) {
      this.index++;
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): ConditionNode {
    let count = 0;
    while (this.kind() === Tok.Not) {
      this.index++;
      count++;
    }
    let node = this.primary();
    for (; count > 0; count--) node = { kind: 'not', operand: node };
    return node;
  }

  /** Whether the '(' here opens an operand, e.g. "(a) = b", rather than a condition. */
  private opensOperand(): boolean {
    const close = this.tokens.partner[this.index]!;
    if (close < 0) return false;
    const after = this.list[close + 1]!.kind;
    return COMPARATORS.has(after) || after === Tok.Between || after === Tok.In;
  }

  private primary(): ConditionNode {
    if (this.kind() !== Tok.LParen || this.opensOperand()) return this.comparison();
    const open = this.index++;
    this.enter();
    const inner = this.condition();
    this.leave();
    this.expect(Tok.RParen);
    this.checkRedundant(open, this.index - 1);
    return inner;
  }

  private comparison(): ConditionNode {
    const left = this.operand();
    const kind = this.kind();
    const op = COMPARATORS.get(kind);
    if (op === undefined && kind !== Tok.Between && kind !== Tok.In) {
      if (left.kind !== 'call') this.fail();
      this.place(left, false);
      return left;
    }
    this.place(left, true);
    this.index++;
    if (op !== undefined) return { kind: 'compare', op, left, right: this.nestedOperand() };
    if (kind === Tok.Between) {
      const low = this.nestedOperand();
      this.expect(Tok.And);
      return { kind: 'between', subject: left, low, high: this.nestedOperand() };
    }
    this.expect(Tok.LParen);
    const list = [this.nestedOperand()];
    while (this.kind() === Tok.Comma) {
      this.index++;
      list.push(this.nestedOperand());
    }
    this.expect(Tok.RParen);
    return { kind: 'in', subject: left, list };
  }

  // ---- operands ----

  /** Checks where a function is used, once that is known. */
  private place(operand: Operand, nested: boolean): void {
    if (operand.kind !== 'call') return;
    const problem = functionProblem(operand.name, this.context, nested);
    if (problem !== undefined) this.defer(operand.at, problem);
  }

  private nestedOperand(): Operand {
    const operand = this.operand();
    this.place(operand, true);
    return operand;
  }

  operand(): Operand {
    switch (this.kind()) {
      case Tok.Value:
        return this.value();
      case Tok.LParen: {
        const open = this.index++;
        this.enter();
        const inner = this.operand();
        this.leave();
        this.expect(Tok.RParen);
        this.checkRedundant(open, this.index - 1);
        return inner;
      }
      case Tok.Id:
        return this.kind(1) === Tok.LParen ? this.call() : this.path();
      case Tok.Name:
        return this.path();
      default:
        this.fail();
    }
  }

  private value(): ValueNode {
    const name = this.text();
    this.index++;
    return { kind: 'value', name, value: undefined };
  }

  private call(): CallNode {
    const at = this.index;
    const name = this.text();
    this.index += 2;
    this.enter();
    const args = [this.nestedOperand()];
    while (this.kind() === Tok.Comma) {
      this.index++;
      args.push(this.nestedOperand());
    }
    this.leave();
    this.expect(Tok.RParen);
    return { kind: 'call', name, args, at };
  }

  path(): PathNode {
    const first = this.kind();
    if (first !== Tok.Id && first !== Tok.Name) this.fail();
    const segments: PathSegment[] = [this.segment(first === Tok.Id ? 'name' : 'placeholder')];
    for (;;) {
      const kind = this.kind();
      if (kind === Tok.Dot) {
        this.index++;
        const next = this.kind();
        if (next === Tok.Id) segments.push(this.segment('name'));
        else if (next === Tok.Name) segments.push(this.segment('placeholder'));
        else if (next === Tok.Value) segments.push(this.segment('value'));
        else this.fail();
      } else if (kind === Tok.LBracket) {
        this.index++;
        if (this.kind() !== Tok.Index) this.fail();
        segments.push(this.index_());
        this.expect(Tok.RBracket);
      } else {
        break;
      }
    }
    const node: PathNode = { kind: 'path', segments, resolved: [] };
    this.paths.push(node);
    return node;
  }

  private segment(kind: PathSegment['kind']): PathSegment {
    const at = this.index;
    const text = this.text();
    this.index++;
    if (kind === 'name' && isReservedWord(text))
      this.defer(at, `Attribute name is a reserved keyword; reserved keyword: ${text}`);
    return { kind, text, at };
  }

  private index_(): PathSegment {
    const at = this.index;
    const text = this.text();
    this.index++;
    if (text.length > 10 || Number(text) > MAX_LIST_INDEX) {
      this.defer(at, `List index is not within the allowable range; index: [${text}]`);
    }
    return { kind: 'index', text, at };
  }

  // ---- updates ----

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<UpdateActionKind>();
    do {
      const section = SECTIONS.get(this.kind());
      if (section === undefined) this.fail();
      this.index++;
      actions.push(this.action(section));
      while (this.kind() === Tok.Comma) {
        this.index++;
        actions.push(this.action(section));
      }
      if (seen.has(section)) {
        this.defer(this.index - 1, `The "${section}" section can only be used once in an update expression;`);
      }
      seen.add(section);
    } while (this.kind() !== Tok.Eof);
    return actions;
  }

  private action(kind: UpdateActionKind): UpdateAction {
    const path = this.path();
    if (kind === 'SET') {
      this.expect(Tok.Eq);
      return { kind, path, value: this.setValue() };
    }
    if (kind === 'REMOVE') return { kind, path, value: undefined };
    if (this.kind() !== Tok.Value) this.fail();
    return { kind, path, value: this.value() };
  }

  /** Whether the '(' here encloses a sum or difference, e.g. "(a + b)". */
  private opensArithmetic(open = this.index): boolean {
    const close = this.tokens.partner[open]!;
    if (this.list[open + 1]!.kind === Tok.LParen && this.tokens.partner[open + 1] === close - 1) {
      return this.opensArithmetic(open + 1);
    }
    for (let i = open + 1; i < close; i++) {
      const kind = this.list[i]!.kind;
      if (kind === Tok.LParen && this.tokens.partner[i]! > i) i = this.tokens.partner[i]!;
      else if (kind === Tok.Plus || kind === Tok.Minus) return true;
    }
    return false;
  }

  private setValue(): Operand {
    if (this.kind() === Tok.LParen && this.opensArithmetic()) return this.arithmeticGroup();
    const left = this.operand();
    if (this.kind() !== Tok.Plus && this.kind() !== Tok.Minus) {
      this.place(left, false);
      return left;
    }
    return this.arithmetic(left);
  }

  private arithmeticGroup(): ArithmeticNode {
    const open = this.index++;
    this.enter();
    const inner =
      this.kind() === Tok.LParen && this.opensArithmetic()
        ? this.arithmeticGroup()
        : this.arithmetic(this.operand());
    this.leave();
    this.expect(Tok.RParen);
    this.checkRedundant(open, this.index - 1);
    return inner;
  }

  private arithmetic(left: Operand): ArithmeticNode {
    const kind = this.kind();
    if (kind !== Tok.Plus && kind !== Tok.Minus) this.fail();
    this.index++;
    this.place(left, true);
    const right = this.nestedOperand();
    return { kind: 'arithmetic', op: kind === Tok.Plus ? '+' : '-', left, right };
  }

  // ---- projections ----

  projection(): PathNode[] {
    const paths = [this.path()];
    while (this.kind() === Tok.Comma) {
      this.index++;
      paths.push(this.path());
    }
    return paths;
  }
}

function parser(text: string, label: ExpressionLabel, context: Context): Parser {
  checkLength(text, label);
  return new Parser(tokenize(text), label, context);
}

export function parseCondition(text: string, label: ExpressionLabel): ParsedCondition {
  const p = parser(text, label, 'condition');
  const root = p.condition();
  p.finish();
  return { root, paths: p.paths };
}

export function parseUpdate(text: string): ParsedUpdate {
  const p = parser(text, 'UpdateExpression', 'update');
  const actions = p.update();
  p.finish();
  return { actions, paths: p.paths };
}

export function parseProjection(text: string): PathNode[] {
  const p = parser(text, 'ProjectionExpression', 'condition');
  const paths = p.projection();
  p.finish();
  return paths;
}
