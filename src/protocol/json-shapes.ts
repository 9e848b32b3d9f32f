/**
 * Model-driven conversion between JSON documents and the SDK-shaped values services use
 * (Date for timestamps, Uint8Array for blobs), shared by awsJson1_0/1_1 and restJson1.
 * Readers and writers are compiled once per shape and cached per model: the request path
 * only walks closures, never the model. A RawJson value, wherever it sits in an output, is
 * written as its text.
 */
import { AwsError } from '../errors.js';
import type { MemberDef, ServiceModel, ShapeDef } from './model.js';
import { shapeOf } from './model.js';
import { RawJson } from './raw-json.js';
import {
  formatBase64,
  formatTimestamp,
  parseBase64,
  parseTimestamp,
  type TimestampFormat,
} from './scalar-text.js';

export interface JsonShapeOptions {
  /** restJson1 honours `jsonName`; the awsJson protocols ignore it. */
  jsonName: boolean;
}

/** Parsed JSON in, SDK value out; throws SerializationException on a wrong JSON type. */
export type JsonReader = (value: unknown) => unknown;
/** SDK value in, JSON text out; undefined when the value writes nothing. */
export type JsonWriter = (value: unknown) => string | undefined;

/** The error AWS's JSON services answer for a body that does not fit the model. */
export function serializationError(message?: string): AwsError {
  return new AwsError('SerializationException', message ?? '', 400);
}

/** The JSON text of a request body; an empty body is an empty object. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError();
  }
}

/** Coral's words for a JSON token that does not fit the expected shape. */
function mismatch(value: unknown, expected: string): AwsError {
  if (Array.isArray(value)) return serializationError('Start of list found where not expected');
  if (typeof value === 'object')
    return serializationError('Start of structure or map found where not expected.');
  if (expected === 'list' || expected === 'structure' || expected === 'map') {
    return serializationError(`Expected ${expected} or null`);
  }
  const token =
    typeof value === 'number'
      ? 'NUMBER_VALUE'
      : typeof value === 'boolean'
        ? value
          ? 'TRUE_VALUE'
          : 'FALSE_VALUE'
        : 'STRING_VALUE';
  return serializationError(`${token} can not be converted to a ${expected}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a key that may be `__proto__` as an own property, never the prototype. */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true });
  else out[key] = value;
}

/** The timestamp format a member uses: its own trait, its target's, else the protocol's. */
export function timestampFormatOf(
  model: ServiceModel,
  member: MemberDef,
  fallback: TimestampFormat,
): TimestampFormat {
  return member.timestampFormat ?? shapeOf(model, member.target).traits?.timestampFormat ?? fallback;
}

// --- readers ---------------------------------------------------------------------------

function readString(v: unknown): unknown {
  if (typeof v !== 'string') throw mismatch(v, 'String');
  return v;
}

function readNumber(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw mismatch(v, 'Number');
}

function readBoolean(v: unknown): unknown {
  if (typeof v !== 'boolean') throw mismatch(v, 'Boolean');
  return v;
}

function readBlob(v: unknown): unknown {
  if (typeof v !== 'string') throw mismatch(v, 'Blob');
  const bytes = parseBase64(v);
  if (!bytes) throw serializationError('Invalid base64 value');
  return bytes;
}

const readDocument: JsonReader = (v) => v;

function timestampReader(format: TimestampFormat): JsonReader {
  if (format === 'epoch-seconds') {
    return (v) => {
      if (typeof v !== 'number') throw mismatch(v, 'Date');
      return new Date(Math.round(v * 1000));
    };
  }
  return (v) => {
    const date = typeof v === 'string' ? parseTimestamp(v) : undefined;
    if (!date) throw mismatch(v, 'Date');
    return date;
  };
}

/** The wire key, member name and reader of each member of a structure. */
type MemberPlan = [wire: string, name: string, read: JsonReader];

/** Unions read like structures: a value with two members set reaches the service, which
 * answers it with its own validation error (DynamoDB's "more than one datatypes"). */
function structureReader(plan: () => MemberPlan[]): JsonReader {
  return (v) => {
    if (!isPlainObject(v)) throw mismatch(v, 'structure');
    const out: Record<string, unknown> = {};
    for (const [wire, name, read] of plan()) {
      const item = v[wire];
      if (item !== undefined && item !== null) out[name] = read(item);
    }
    return out;
  };
}

function listReader(item: () => JsonReader): JsonReader {
  return (v) => {
    if (!Array.isArray(v)) throw mismatch(v, 'list');
    const read = item();
    const out: unknown[] = [];
    for (const x of v) if (x !== null) out.push(read(x));
    return out;
  };
}

function mapReader(value: () => JsonReader): JsonReader {
  return (v) => {
    if (!isPlainObject(v)) throw mismatch(v, 'map');
    const read = value();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x !== null) setKey(out, key, read(x));
    }
    return out;
  };
}

// --- writers ---------------------------------------------------------------------------

const writeString: JsonWriter = (v) => JSON.stringify(typeof v === 'string' ? v : String(v));

const writeNumber: JsonWriter = (v) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? String(n) : `"${n}"`;
};

const writeBoolean: JsonWriter = (v) => (v ? 'true' : 'false');

const writeBlob: JsonWriter = (v) => `"${formatBase64(v)}"`;

const writeDocument: JsonWriter = (v) => JSON.stringify(v, documentReplacer);

/** Documents hold plain JSON, but a service may leave a Date or bytes in one. */
function documentReplacer(this: unknown, key: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return formatBase64(raw);
  return v;
}

function timestampWriter(format: TimestampFormat): JsonWriter {
  return format === 'epoch-seconds'
    ? (v) => formatTimestamp(v, format)
    : (v) => `"${formatTimestamp(v, format)}"`;
}

type WriterPlan = [key: string, name: string, write: JsonWriter];

function structureWriter(plan: () => WriterPlan[]): JsonWriter {
  return (v) => {
    if (v === null || typeof v !== 'object') return undefined;
    const value = v as Record<string, unknown>;
    let out = '';
    for (const [key, name, write] of plan()) {
      const item = value[name];
      if (item === undefined || item === null) continue;
      const text = item instanceof RawJson ? item.text : write(item);
      if (text === undefined) continue;
      out += out ? `,${key}:${text}` : `${key}:${text}`;
    }
    return `{${out}}`;
  };
}

function listWriter(item: () => JsonWriter): JsonWriter {
  return (v) => {
    if (!Array.isArray(v)) return undefined;
    const write = item();
    const parts: string[] = [];
    for (const x of v) {
      if (x === undefined || x === null) continue;
      const text = x instanceof RawJson ? x.text : write(x);
      if (text !== undefined) parts.push(text);
    }
    return `[${parts.join(',')}]`;
  };
}

function mapWriter(value: () => JsonWriter): JsonWriter {
  return (v) => {
    if (v === null || typeof v !== 'object') return undefined;
    const write = value();
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || x === null) continue;
      const text = x instanceof RawJson ? x.text : write(x);
      if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  };
}

// --- compiling ------------------------------------------------------------------------

/** How one direction, reading or writing, handles each kind of shape. */
interface Direction<F> {
  /** compiled shapes per model, without and with jsonName */
  compiled: [WeakMap<ServiceModel, Map<string, F>>, WeakMap<ServiceModel, Map<string, F>>];
  /** a structure member's key in its plan, from its name on the wire */
  key(wire: string): string;
  structure(plan: () => [key: string, name: string, f: F][]): F;
  list(item: () => F): F;
  map(value: () => F): F;
  timestamp(format: TimestampFormat): F;
  string: F;
  number: F;
  boolean: F;
  blob: F;
  document: F;
}

const READ: Direction<JsonReader> = {
  compiled: [new WeakMap(), new WeakMap()],
  key: (wire) => wire,
  structure: structureReader,
  list: listReader,
  map: mapReader,
  timestamp: timestampReader,
  string: readString,
  number: readNumber,
  boolean: readBoolean,
  blob: readBlob,
  document: readDocument,
};

const WRITE: Direction<JsonWriter> = {
  compiled: [new WeakMap(), new WeakMap()],
  key: (wire) => JSON.stringify(wire),
  structure: structureWriter,
  list: listWriter,
  map: mapWriter,
  timestamp: timestampWriter,
  string: writeString,
  number: writeNumber,
  boolean: writeBoolean,
  blob: writeBlob,
  document: writeDocument,
};

/** Resolved on first use, so recursive shapes compile without looping. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

function build<F>(dir: Direction<F>, model: ServiceModel, shape: ShapeDef, opts: JsonShapeOptions): F {
  switch (shape.type) {
    case 'structure':
    case 'union':
      return dir.structure(lazy(() => plan(dir, model, shape.members, Object.keys(shape.members), opts)));
    case 'list':
      return dir.list(lazy(() => forMember(dir, model, opts, shape.member)));
    case 'map':
      return dir.map(lazy(() => forMember(dir, model, opts, shape.value)));
    case 'string':
      return dir.string;
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return dir.number;
    case 'boolean':
      return dir.boolean;
    case 'blob':
      return dir.blob;
    case 'timestamp':
      return dir.timestamp(shape.traits?.timestampFormat ?? 'epoch-seconds');
    default:
      return dir.document;
  }
}

/** A member's own timestampFormat overrides its target's. */
function forMember<F>(dir: Direction<F>, model: ServiceModel, opts: JsonShapeOptions, member: MemberDef): F {
  if (shapeOf(model, member.target).type === 'timestamp') {
    return dir.timestamp(timestampFormatOf(model, member, 'epoch-seconds'));
  }
  return forShape(dir, model, member.target, opts);
}

function plan<F>(
  dir: Direction<F>,
  model: ServiceModel,
  members: Record<string, MemberDef>,
  names: readonly string[],
  opts: JsonShapeOptions,
): [key: string, name: string, f: F][] {
  return names.map((name) => {
    const m = members[name] as MemberDef;
    return [dir.key(wireName(name, m, opts)), name, forMember(dir, model, opts, m)];
  });
}

const wireName = (name: string, m: MemberDef, opts: JsonShapeOptions): string =>
  (opts.jsonName && m.jsonName) || name;

function compiled<F>(dir: Direction<F>, model: ServiceModel, opts: JsonShapeOptions): Map<string, F> {
  const cache = dir.compiled[opts.jsonName ? 1 : 0];
  let byShape = cache.get(model);
  if (!byShape) {
    byShape = new Map();
    cache.set(model, byShape);
  }
  return byShape;
}

function forShape<F>(dir: Direction<F>, model: ServiceModel, shapeId: string, opts: JsonShapeOptions): F {
  const byShape = compiled(dir, model, opts);
  let f = byShape.get(shapeId);
  if (!f) {
    f = build(dir, model, shapeOf(model, shapeId), opts);
    byShape.set(shapeId, f);
  }
  return f;
}

/** Only some members of a structure. */
function forMembers<F>(
  dir: Direction<F>,
  model: ServiceModel,
  shapeId: string,
  names: readonly string[],
  opts: JsonShapeOptions,
): F {
  const shape = shapeOf(model, shapeId);
  const members = 'members' in shape ? shape.members : {};
  return dir.structure(lazy(() => plan(dir, model, members, names, opts)));
}

/** The compiled reader of a shape. */
export function jsonReader(model: ServiceModel, shapeId: string, opts: JsonShapeOptions): JsonReader {
  return forShape(READ, model, shapeId, opts);
}

/** The compiled writer of a shape. */
export function jsonWriter(model: ServiceModel, shapeId: string, opts: JsonShapeOptions): JsonWriter {
  return forShape(WRITE, model, shapeId, opts);
}

/** A reader of only some members of a structure (the HTTP body members of a REST input). */
export function jsonMembersReader(
  model: ServiceModel,
  shapeId: string,
  names: readonly string[],
  opts: JsonShapeOptions,
): JsonReader {
  return forMembers(READ, model, shapeId, names, opts);
}

/** A writer of only some members of a structure (the HTTP body members of a REST output). */
export function jsonMembersWriter(
  model: ServiceModel,
  shapeId: string,
  names: readonly string[],
  opts: JsonShapeOptions,
): JsonWriter {
  return forMembers(WRITE, model, shapeId, names, opts);
}
