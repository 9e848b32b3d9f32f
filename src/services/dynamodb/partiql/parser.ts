/**
 * DynamoDB's PartiQL subset, parsed into statements: SELECT (of a table or "table"."index"),
 * INSERT ... VALUE, UPDATE ... SET/REMOVE ... WHERE, DELETE ... WHERE, with RETURNING, and
 * EXISTS(SELECT ...) for transaction condition checks. Values are literals, ? parameters,
 * [lists], {maps} and <<sets>>.
 */
import { AwsError } from '../../../errors.js';
import { malformed, type Token, tokenize } from './lexer.js';

export type PathSegment = string | number;

export interface PathNode {
  kind: 'path';
  segments: PathSegment[];
}

export type ValueNode =
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'param'; index: number }
  | { kind: 'list'; items: Operand[] }
  | { kind: 'map'; entries: [string, Operand][] }
  | { kind: 'set'; items: Operand[] };

export interface CallNode {
  kind: 'call';
  name: string;
  args: Operand[];
}

export interface ArithmeticNode {
  kind: 'arithmetic';
  op: '+' | '-';
  left: Operand;
  right: Operand;
}

export type Operand = PathNode | ValueNode | CallNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; items: Operand[] }
  | { kind: 'is'; subject: PathNode; what: 'MISSING' | 'NULL'; negated: boolean }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'call'; name: string; args: Operand[] };

export interface Source {
  table: string;
  index?: string;
}

export type Returning = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW';

export type UpdateAction =
  | { kind: 'SET'; path: PathNode; value: Operand }
  | { kind: 'REMOVE'; path: PathNode };

export type Statement =
  | { kind: 'select'; projection: PathNode[] | '*'; source: Source; where?: Condition; descending?: boolean }
  | { kind: 'insert'; source: Source; value: Operand }
  | { kind: 'update'; source: Source; actions: UpdateAction[]; where?: Condition; returning?: Returning }
  | { kind: 'delete'; source: Source; where?: Condition; returning?: Returning }
  | { kind: 'exists'; select: Extract<Statement, { kind: 'select' }> };

const COMPARATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const DIGITS = /^\d+$/;

/** Nesting beyond this is refused rather than recursed into. */
const MAX_DEPTH = 100;

class Parser {
  private i = 0;
  private params = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.i] as Token;
  }

  private isWord(word: string): boolean {
    return this.token.kind === 'word' && this.token.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    return this.token.kind === 'punct' && this.token.text === p;
  }

  private fail(): never {
    const t = this.token;
    throw malformed(t.kind === 'eof' ? 'Unexpected end of statement' : `Unexpected token: ${t.text}`);
  }

  private word(word: string): void {
    if (!this.isWord(word)) this.fail();
    this.i++;
  }

  private punct(p: string): void {
    if (!this.isPunct(p)) this.fail();
    this.i++;
  }

  private accept(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.i++;
    return true;
  }

  private name(): string {
    const t = this.token;
    if (t.kind !== 'word' && t.kind !== 'quoted') this.fail();
    this.i++;
    return t.text;
  }

  statement(): Statement {
    const s = this.statementBody();
    if (this.isPunct(';')) this.i++;
    if (this.token.kind !== 'eof') this.fail();
    return s;
  }

  private statementBody(): Statement {
    if (this.accept('SELECT')) return this.select();
    if (this.accept('INSERT')) {
      this.word('INTO');
      const source = this.source();
      this.word('VALUE');
      return { kind: 'insert', source, value: this.operand() };
    }
    if (this.accept('UPDATE')) return this.update();
    if (this.accept('DELETE')) {
      this.word('FROM');
      const source = this.source();
      this.word('WHERE');
      const where = this.condition();
      return { kind: 'delete', source, where, returning: this.returning() };
    }
    if (this.accept('EXISTS')) {
      this.punct('(');
      this.word('SELECT');
      const select = this.select();
      this.punct(')');
      return { kind: 'exists', select };
    }
    this.fail();
  }

  private select(): Extract<Statement, { kind: 'select' }> {
    let projection: PathNode[] | '*';
    if (this.isPunct('*')) {
      this.i++;
      projection = '*';
    } else {
      projection = [this.path()];
      while (this.isPunct(',')) {
        this.i++;
        projection.push(this.path());
      }
    }
    this.word('FROM');
    const source = this.source();
    const where = this.accept('WHERE') ? this.condition() : undefined;
    let descending: boolean | undefined;
    if (this.accept('ORDER')) {
      this.word('BY');
      this.path();
      descending = this.accept('DESC');
      if (!descending) this.accept('ASC');
    }
    return { kind: 'select', projection, source, where, descending };
  }

  private source(): Source {
    const parts = [this.name()];
    while (this.isPunct('.')) {
      this.i++;
      parts.push(this.name());
    }
    if (parts.some((p) => p === '')) {
      throw new AwsError('ValidationException', 'Path component cannot be an empty string', 400);
    }
    if (parts.length > 2) {
      throw new AwsError(
        'ValidationException',
        'A path may contain at most 2 components in the FROM clause',
        400,
      );
    }
    return { table: parts[0] as string, index: parts[1] };
  }

  private update(): Statement {
    const source = this.source();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.accept('SET')) {
        do {
          const path = this.path();
          this.punct('=');
          actions.push({ kind: 'SET', path, value: this.operand() });
        } while (this.isPunct(',') && ++this.i);
      } else if (this.accept('REMOVE')) {
        do actions.push({ kind: 'REMOVE', path: this.path() });
        while (this.isPunct(',') && ++this.i);
      } else break;
    }
    if (actions.length === 0) this.fail();
    this.word('WHERE');
    const where = this.condition();
    return { kind: 'update', source, actions, where, returning: this.returning() };
  }

  private returning(): Returning | undefined {
    if (!this.accept('RETURNING')) return undefined;
    const which = this.oneOf(['ALL', 'MODIFIED']);
    const when = this.oneOf(['OLD', 'NEW']);
    this.punct('*');
    return `${which} ${when}` as Returning;
  }

  private oneOf<W extends string>(words: readonly W[]): W {
    const found = words.find((w) => this.isWord(w));
    if (!found) this.fail();
    this.i++;
    return found;
  }

  private path(): PathNode {
    const segments: PathSegment[] = [this.name()];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        segments.push(this.name());
      } else if (this.isPunct('[')) {
        this.i++;
        const t = this.token;
        if (t.kind === 'number' && DIGITS.test(t.text)) segments.push(Number(t.text));
        else if (t.kind === 'string') segments.push(t.text);
        else this.fail();
        this.i++;
        this.punct(']');
      } else return { kind: 'path', segments };
    }
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw malformed('Expression nesting is too deep');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  condition(): Condition {
    return this.nested(() => {
      let left = this.conjunction();
      while (this.accept('OR')) left = { kind: 'or', left, right: this.conjunction() };
      return left;
    });
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.accept('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.accept('NOT')) return { kind: 'not', operand: this.nested(() => this.negation()) };
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const subject = this.operand();
    const t = this.token;
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.i++;
      const op = (t.text === '!=' ? '<>' : t.text) as Comparator;
      return { kind: 'compare', op, left: subject, right: this.operand() };
    }
    if (this.accept('BETWEEN')) {
      const low = this.operand();
      this.word('AND');
      return { kind: 'between', subject, low, high: this.operand() };
    }
    if (this.accept('IN')) {
      const close = this.isPunct('[') ? ']' : ')';
      if (close === ']') this.punct('[');
      else this.punct('(');
      const items = [this.operand()];
      while (this.isPunct(',')) {
        this.i++;
        items.push(this.operand());
      }
      this.punct(close);
      return { kind: 'in', subject, items };
    }
    if (this.accept('IS')) {
      if (subject.kind !== 'path') this.fail();
      const negated = this.accept('NOT');
      const what = this.oneOf(['MISSING', 'NULL']);
      return { kind: 'is', subject, what, negated };
    }
    if (subject.kind === 'call') return subject;
    this.fail();
  }

  operand(): Operand {
    return this.nested(() => this.arithmetic());
  }

  private arithmetic(): Operand {
    let left = this.term();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.token.text as '+' | '-';
      this.i++;
      left = { kind: 'arithmetic', op, left, right: this.term() };
    }
    return left;
  }

  private list(close: string): Operand[] {
    const items: Operand[] = [];
    if (this.isPunct(close)) {
      this.i++;
      return items;
    }
    items.push(this.operand());
    while (this.isPunct(',')) {
      this.i++;
      items.push(this.operand());
    }
    this.punct(close);
    return items;
  }

  private term(): Operand {
    const t = this.token;
    switch (t.kind) {
      case 'string':
        this.i++;
        return { kind: 'string', text: t.text };
      case 'number':
        this.i++;
        return { kind: 'number', text: t.text };
      case 'param':
        this.i++;
        return { kind: 'param', index: this.params++ };
      case 'quoted':
        return this.path();
      case 'word':
        return this.wordTerm(t);
      case 'punct':
        return this.punctTerm(t);
      default:
        this.fail();
    }
  }

  private wordTerm(t: Token): Operand {
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') {
      this.i++;
      return { kind: 'bool', value: upper === 'TRUE' };
    }
    if (upper === 'NULL') {
      this.i++;
      return { kind: 'null' };
    }
    if (
      (this.tokens[this.i + 1] as Token).text === '(' &&
      (this.tokens[this.i + 1] as Token).kind === 'punct'
    ) {
      this.i += 2;
      return { kind: 'call', name: t.text.toLowerCase(), args: this.list(')') };
    }
    return this.path();
  }

  private punctTerm(t: Token): Operand {
    this.i++;
    if (t.text === '[') return { kind: 'list', items: this.list(']') };
    if (t.text === '<<') return { kind: 'set', items: this.list('>>') };
    if (t.text === '-' && this.token.kind === 'number') {
      const n = this.token.text;
      this.i++;
      return { kind: 'number', text: `-${n}` };
    }
    if (t.text === '{') {
      const entries: [string, Operand][] = [];
      if (!this.isPunct('}')) {
        do {
          const key = this.token;
          if (key.kind !== 'string') this.fail();
          this.i++;
          this.punct(':');
          entries.push([key.text, this.operand()]);
        } while (this.isPunct(',') && ++this.i);
      }
      this.punct('}');
      return { kind: 'map', entries };
    }
    this.i--;
    this.fail();
  }

  /** How many ? parameters the statement holds. */
  get parameterCount(): number {
    return this.params;
  }
}

export interface ParsedStatement {
  statement: Statement;
  parameterCount: number;
}

export function parseStatement(text: string): ParsedStatement {
  const parser = new Parser(tokenize(text));
  const statement = parser.statement();
  return { statement, parameterCount: parser.parameterCount };
}
