/**
 * A message as a filter policy sees it: every leaf value under its dotted path, as AWS's
 * event-ruler flattens a JSON event. Arrays contribute one value per element under the same path,
 * and each value remembers which element of which array it came from, so that a policy can require
 * its fields to match within one element. Objects and empty arrays are not values: a path that
 * only leads to them does not exist.
 */
import { ipBytes } from './cidr.js';
import { comparable } from './numeric.js';

export type ValueType = 'string' | 'number' | 'true' | 'false' | 'null';

export class EventValue {
  readonly type: ValueType;
  /** The string, for type 'string'. */
  readonly text: string;
  /** The number, for type 'number'. */
  readonly number: number;
  /** event-ruler's comparable form of the number, undefined outside its range. */
  readonly comparable: number | undefined;
  /** Pairs of (array id, element index), outermost array first. */
  readonly arrays: readonly number[];
  private lower: string | undefined;
  private ip: Uint8Array | null | undefined;

  constructor(type: ValueType, text: string, number: number, arrays: readonly number[]) {
    this.type = type;
    this.text = text;
    this.number = number;
    this.comparable = type === 'number' ? comparable(number) : undefined;
    this.arrays = arrays;
  }

  get lowerCase(): string {
    this.lower ??= this.text.toLowerCase();
    return this.lower;
  }

  /** The IP address the string spells, or null. */
  get ipAddress(): Uint8Array | null {
    if (this.ip === undefined) this.ip = (this.type === 'string' && ipBytes(this.text)) || null;
    return this.ip;
  }
}

export type FlatEvent = ReadonlyMap<string, readonly EventValue[]>;

export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

const NO_ARRAYS: readonly number[] = [];
const NO_VALUES: FlatEvent = new Map();
// the last body flattened: a publish asks about one body for each of its subscriptions in turn
let lastBody: object | undefined;
let lastEvent: FlatEvent | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Jackson's nesting limit, which SNS's parser of the message applies. */
const MAX_DEPTH = 1000;

class Flattener {
  readonly out = new Map<string, EventValue[]>();
  /** Set when the value nests deeper than Jackson reads (what lies deeper is left out). */
  tooDeep = false;
  private arrays = 0;

  add(path: string, value: unknown, arrays: readonly number[], depth = 0): void {
    if (Array.isArray(value) || isObject(value)) {
      if (depth >= MAX_DEPTH) this.tooDeep = true;
      else this.addContainer(path, value, arrays, depth + 1);
    } else {
      const leaf = this.leaf(value, arrays);
      if (leaf) this.push(path, leaf);
    }
  }

  private addContainer(
    path: string,
    value: unknown[] | Record<string, unknown>,
    arrays: readonly number[],
    depth: number,
  ): void {
    if (Array.isArray(value)) {
      const id = this.arrays++;
      value.forEach((element, index) => {
        this.add(path, element, [...arrays, id, index], depth);
      });
    } else {
      for (const [key, child] of Object.entries(value)) {
        this.add(path === '' ? key : `${path}.${key}`, child, arrays, depth);
      }
    }
  }

  private leaf(value: unknown, arrays: readonly number[]): EventValue | undefined {
    switch (typeof value) {
      case 'string':
        return new EventValue('string', value, Number.NaN, arrays);
      case 'number':
        return new EventValue('number', '', value, arrays);
      case 'boolean':
        return new EventValue(value ? 'true' : 'false', '', Number.NaN, arrays);
      default:
        return value === null ? new EventValue('null', '', Number.NaN, arrays) : undefined;
    }
  }

  private push(path: string, value: EventValue): void {
    const values = this.out.get(path);
    if (values) values.push(value);
    else this.out.set(path, [value]);
  }
}

function flatten(root: Record<string, unknown>): FlatEvent | undefined {
  const flattener = new Flattener();
  flattener.add('', root, NO_ARRAYS);
  return flattener.tooDeep ? undefined : flattener.out;
}

/**
 * The message body's values; undefined when nothing can match the body: it is not a JSON object,
 * or nests deeper than SNS reads.
 */
export function bodyEvent(body: unknown): FlatEvent | undefined {
  if (!isObject(body)) return undefined;
  if (body !== lastBody) {
    lastEvent = flatten(body);
    lastBody = body;
  }
  return lastEvent;
}

function parseArray(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An attribute as a JSON value: a String its string, a Number its number, a String.Array its
 * elements. Binary attributes take no part in filtering.
 */
function attributeValue(attribute: SnsAttribute): unknown {
  const text = attribute.StringValue;
  if (text === undefined || attribute.DataType.startsWith('Binary')) return undefined;
  if (attribute.DataType === 'String.Array') return parseArray(text);
  if (!attribute.DataType.startsWith('Number')) return text;
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

/** The attributes' values (cheap enough to flatten for each subscription; a cache would cost more). */
export function attributeEvent(attributes: Readonly<Record<string, SnsAttribute>> | undefined): FlatEvent {
  if (!attributes) return NO_VALUES;
  const flattener = new Flattener();
  for (const name of Object.keys(attributes)) {
    const value = attributeValue(attributes[name]!);
    if (value !== undefined) flattener.add(name, value, NO_ARRAYS);
  }
  return flattener.out;
}
