/**
 * The REST HTTP binding shared by restJson1 and restXml: which operation a method, path,
 * query and headers ask for (URI templates matched by specificity), and the members bound
 * to labels, query parameters, headers and the payload, in both directions. The body
 * document itself (JSON or XML) is the protocol's: it comes in as a BodyFormat.
 * Everything that can be is computed once per model and kept in a WeakMap.
 */
import { Readable } from 'node:stream';
import type { AwsError } from '../errors.js';
import { EVENT_STREAM_CONTENT_TYPE, eventStreamWriter } from './event-stream.js';
import { timestampFormatOf } from './json-shapes.js';
import type { MemberDef, OperationDef, ServiceModel, ShapeDef } from './model.js';
import { shapeOf } from './model.js';
import { parseScalar } from './scalar-shapes.js';
import { formatBase64, formatNumber, formatTimestamp } from './scalar-text.js';
import type { ProtocolCodec, WireRequest, WireResponse } from './wire.js';

/** What a protocol brings to the binding: its document format and its error for bad values. */
export interface BodyFormat {
  /** Content-Type of a document body. */
  contentType: string;
  /** Reads the named members of a structure from a document body. */
  membersReader(model: ServiceModel, shapeId: string, names: readonly string[]): (body: Buffer) => unknown;
  /** Writes the named members of a structure as a document body. */
  membersWriter(model: ServiceModel, shapeId: string, names: readonly string[]): (value: unknown) => string;
  /** Reads a structure, union or document payload member. */
  payloadReader(model: ServiceModel, name: string, member: MemberDef): (body: Buffer) => unknown;
  /** Writes a structure, union or document payload member. */
  payloadWriter(model: ServiceModel, name: string, member: MemberDef): (value: unknown) => string;
  /** The protocol's error for a header, query or label value that does not parse. */
  invalidValue(message: string): AwsError;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'label' | 'greedy'; name: string };

/** How a payload member travels: a document, raw bytes or text, a raw stream, or an event stream. */
type PayloadKind = 'document' | 'blob' | 'string' | 'stream' | 'events';
type Bound = [name: string, member: MemberDef];

/** What reading a bound value needs: the model for its shape, the format for its error. */
interface ReadContext {
  format: BodyFormat;
  model: ServiceModel;
}

/** The members bound to headers and to the payload: inputs and outputs both have them. */
interface HeadersAndPayload {
  headers: [name: string, header: string, member: MemberDef][];
  prefixHeaders: [name: string, prefix: string, member: MemberDef][];
  payload?: [name: string, member: MemberDef, kind: PayloadKind];
}

interface InputPlan extends ReadContext, HeadersAndPayload {
  labels: Map<string, MemberDef>;
  queries: [name: string, key: string, member: MemberDef][];
  queryParams?: Bound;
  readPayload?: (body: Buffer) => unknown;
  readBody?: (body: Buffer) => unknown;
  hostLabel?: string;
}

interface OutputPlan extends HeadersAndPayload {
  statusMember?: string;
  writePayload?: (value: unknown) => string;
  writeEvents?: (events: unknown) => Readable;
  writeBody?: (value: unknown) => string;
}

interface Route {
  operation: string;
  method: string;
  segments: Segment[];
  /** literal query keys of the template, with their value when it has one */
  queryLiterals: [key: string, value: string | undefined][];
  /** the `x-id` literal the SDK adds: a tie-breaker, never required */
  xId?: string;
  requiredHeaders: string[];
  requiredQueries: string[];
  /** labels not in the template, bound outside it (S3's Bucket) */
  outsideLabels: string[];
  specificity: number[];
}

interface Binding {
  routes: Map<string, Route[]>;
  byName: Map<string, Route>;
  inputs: Map<string, InputPlan>;
  outputs: Map<string, OutputPlan>;
}

const bindings = new WeakMap<BodyFormat, WeakMap<ServiceModel, Binding>>();

function parseTemplate(uri: string): Pick<Route, 'segments' | 'queryLiterals' | 'xId'> {
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const segments: Segment[] = path
    .slice(1)
    .split('/')
    .map((s) => {
      if (!s.startsWith('{') || !s.endsWith('}')) return { kind: 'literal', text: s };
      const inner = s.slice(1, -1);
      return inner.endsWith('+')
        ? { kind: 'greedy', name: inner.slice(0, -1) }
        : { kind: 'label', name: inner };
    });
  const queryLiterals: [string, string | undefined][] = [];
  let xId: string | undefined;
  for (const part of q < 0 ? [] : uri.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (key === 'x-id') xId = value;
    else queryLiterals.push([key, value]);
  }
  return { segments, queryLiterals, xId };
}

function membersOf(model: ServiceModel, shapeId: string): [Record<string, MemberDef>, Set<string>] {
  const shape = shapeOf(model, shapeId);
  if (shape.type !== 'structure' && shape.type !== 'union') return [{}, new Set()];
  return [shape.members, new Set(shape.required ?? [])];
}

function buildRoute(model: ServiceModel, operation: string, op: OperationDef): Route | undefined {
  if (!op.http) return undefined;
  const template = parseTemplate(op.http.uri);
  const [members, required] = membersOf(model, op.input);
  const inTemplate = new Set(template.segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name])));
  const requiredHeaders: string[] = [];
  const requiredQueries: string[] = [];
  const outsideLabels: string[] = [];
  for (const [name, m] of Object.entries(members)) {
    if (m.httpLabel && !inTemplate.has(name)) outsideLabels.push(name);
    if (!required.has(name)) continue;
    if (m.httpHeader) requiredHeaders.push(m.httpHeader.toLowerCase());
    if (m.httpQuery) requiredQueries.push(m.httpQuery);
  }
  const literals = template.segments.filter((s) => s.kind === 'literal').length;
  const greedy = template.segments.filter((s) => s.kind === 'greedy').length;
  return {
    operation,
    method: op.http.method,
    ...template,
    requiredHeaders,
    requiredQueries,
    outsideLabels,
    specificity: [
      literals,
      template.queryLiterals.length,
      requiredHeaders.length + requiredQueries.length,
      -greedy,
    ],
  };
}

function compareRoutes(a: Route, b: Route): number {
  for (let i = 0; i < a.specificity.length; i++) {
    const d = (b.specificity[i] as number) - (a.specificity[i] as number);
    if (d) return d;
  }
  return a.operation < b.operation ? -1 : 1;
}

function bindingFor(format: BodyFormat, model: ServiceModel): Binding {
  let perModel = bindings.get(format);
  if (!perModel) {
    perModel = new WeakMap();
    bindings.set(format, perModel);
  }
  let b = perModel.get(model);
  if (!b) {
    b = { routes: new Map(), byName: new Map(), inputs: new Map(), outputs: new Map() };
    for (const [name, op] of Object.entries(model.operations)) {
      const r = buildRoute(model, name, op);
      if (!r) continue;
      b.byName.set(name, r);
      const list = b.routes.get(r.method) ?? [];
      list.push(r);
      b.routes.set(r.method, list);
    }
    for (const list of b.routes.values()) list.sort(compareRoutes);
    perModel.set(model, b);
  }
  return b;
}

// --- matching --------------------------------------------------------------------------

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The labels a path binds for a template, or undefined when it does not match. */
function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  // a greedy label takes every part the segments after it leave over
  let shift = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    if (seg.kind === 'greedy') {
      const end = parts.length - (segments.length - 1 - i);
      if (end <= i) return undefined;
      const value = parts.slice(i, end).map(decodeSegment).join('/');
      if (!value) return undefined;
      labels[seg.name] = value;
      shift = end - i - 1;
      continue;
    }
    const part = parts[i + shift];
    if (part === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (part !== seg.text) return undefined;
    } else {
      if (!part) return undefined;
      labels[seg.name] = decodeSegment(part);
    }
  }
  return parts.length === segments.length + shift ? labels : undefined;
}

function headerValue(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function routeMatches(route: Route, req: WireRequest): boolean {
  const bound = req.boundLabels ?? {};
  for (const name of route.outsideLabels) if (bound[name] === undefined) return false;
  for (const name of Object.keys(bound)) if (!route.outsideLabels.includes(name)) return false;
  for (const [key, value] of route.queryLiterals) {
    if (value === undefined ? !req.query.has(key) : req.query.get(key) !== value) return false;
  }
  const xId = req.query.get('x-id');
  if (xId !== null && route.xId !== undefined && xId !== route.xId) return false;
  for (const h of route.requiredHeaders) if (req.headers[h] === undefined) return false;
  for (const q of route.requiredQueries) if (!req.query.has(q)) return false;
  return true;
}

function splitPath(path: string): string[] {
  return (path.startsWith('/') ? path.slice(1) : path).split('/');
}

/** The operation a REST request asks for: the most specific template that matches. */
function resolveRestOperation(format: BodyFormat, model: ServiceModel, req: WireRequest): string | undefined {
  const routes = bindingFor(format, model).routes.get(req.method.toUpperCase());
  if (!routes) return undefined;
  const parts = splitPath(req.path);
  for (const route of routes) {
    if (routeMatches(route, req) && matchPath(route.segments, parts)) return route.operation;
  }
  return undefined;
}

// --- input -----------------------------------------------------------------------------

function isStreaming(model: ServiceModel, m: MemberDef): boolean {
  return Boolean(m.streaming || shapeOf(model, m.target).traits?.streaming);
}

function payloadKind(model: ServiceModel, m: MemberDef): PayloadKind {
  const type = shapeOf(model, m.target).type;
  if (type === 'union' && isStreaming(model, m)) return 'events';
  if (type === 'blob') return isStreaming(model, m) ? 'stream' : 'blob';
  if (type === 'string') return 'string';
  return 'document';
}

/** Members bound to nothing HTTP-level: they travel in the document body. */
function bodyMembers(members: Record<string, MemberDef>): string[] {
  return Object.keys(members).filter((name) => {
    const m = members[name] as MemberDef;
    return !(
      m.httpLabel ||
      m.httpHeader ||
      m.httpQuery ||
      m.httpQueryParams ||
      m.httpPrefixHeaders !== undefined ||
      m.httpPayload ||
      m.httpResponseCode ||
      m.hostLabel
    );
  });
}

function buildInputPlan(format: BodyFormat, model: ServiceModel, op: OperationDef): InputPlan {
  const [members] = membersOf(model, op.input);
  const plan: InputPlan = { format, model, labels: new Map(), headers: [], prefixHeaders: [], queries: [] };
  for (const [name, m] of Object.entries(members)) {
    if (m.httpLabel) plan.labels.set(name, m);
    else if (m.httpHeader) plan.headers.push([name, m.httpHeader.toLowerCase(), m]);
    else if (m.httpPrefixHeaders !== undefined)
      plan.prefixHeaders.push([name, m.httpPrefixHeaders.toLowerCase(), m]);
    else if (m.httpQuery) plan.queries.push([name, m.httpQuery, m]);
    else if (m.httpQueryParams) plan.queryParams = [name, m];
    else if (m.httpPayload) plan.payload = [name, m, payloadKind(model, m)];
    else if (m.hostLabel) plan.hostLabel = name;
  }
  if (plan.payload?.[2] === 'document')
    plan.readPayload = format.payloadReader(model, plan.payload[0], plan.payload[1]);
  const body = bodyMembers(members);
  if (body.length) plan.readBody = format.membersReader(model, op.input, body);
  return plan;
}

function inputPlan(format: BodyFormat, model: ServiceModel, operation: string): InputPlan | undefined {
  const b = bindingFor(format, model);
  let plan = b.inputs.get(operation);
  if (!plan) {
    const op = model.operations[operation];
    if (!op) return undefined;
    plan = buildInputPlan(format, model, op);
    b.inputs.set(operation, plan);
  }
  return plan;
}

/** Whether the operation's payload is a stream, which the server must not buffer. */
function restHasStreamingInput(format: BodyFormat, model: ServiceModel, operation: string): boolean {
  const kind = inputPlan(format, model, operation)?.payload?.[2];
  return kind === 'stream' || kind === 'events';
}

/** RFC 7230 list splitting, with quoted items, as the SDK writes header lists. */
export function splitHeaderList(value: string): string[] {
  const items: string[] = [];
  let inQuotes = false;
  let escaped = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && !escaped) inQuotes = !inQuotes;
    else if (c === ',' && !inQuotes) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
    escaped = c === '\\' && !escaped;
  }
  items.push(value.slice(start));
  return items.map(unquote);
}

const QUOTED_ESCAPE = /\\(["\\])/g;

function unquote(item: string): string {
  const v = item.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
    return v.slice(1, -1).replace(QUOTED_ESCAPE, '$1');
  return v;
}

/** http-dates hold a comma themselves: a list of them splits at every second comma. */
function splitHttpDates(value: string): string[] {
  const parts = value.split(',');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push(`${parts[i]},${parts[i + 1] ?? ''}`.trim());
  return out;
}

type Location = 'header' | 'query' | 'label';

function readScalar(ctx: ReadContext, m: MemberDef, text: string, where: Location): unknown {
  const shape = shapeOf(ctx.model, m.target);
  if (shape.type === 'string') {
    return (m.mediaType ?? shape.traits?.mediaType) && where === 'header'
      ? Buffer.from(text, 'base64').toString('utf8')
      : text;
  }
  const value = parseScalar(shape.type, text);
  if (value === undefined)
    throw ctx.format.invalidValue(
      `Invalid ${shape.type} value for ${where} ${m.httpHeader ?? m.httpQuery ?? ''}: ${text}`,
    );
  return value;
}

function listItem(model: ServiceModel, m: MemberDef): MemberDef | undefined {
  const shape = shapeOf(model, m.target);
  return shape.type === 'list' ? shape.member : undefined;
}

function readHeader(ctx: ReadContext, m: MemberDef, text: string): unknown {
  const item = listItem(ctx.model, m);
  if (!item) return readScalar(ctx, m, text, 'header');
  const isDate =
    shapeOf(ctx.model, item.target).type === 'timestamp' &&
    timestampFormatOf(ctx.model, item, 'http-date') === 'http-date';
  const parts = isDate ? splitHttpDates(text) : splitHeaderList(text);
  return parts.map((p) => readScalar(ctx, item, p, 'header'));
}

function readHeaders(plan: InputPlan, req: WireRequest, out: Input): void {
  for (const [name, header, m] of plan.headers) {
    const text = headerValue(req, header);
    if (text !== undefined) out[name] = readHeader(plan, m, text);
  }
  for (const [name, prefix, m] of plan.prefixHeaders) {
    const shape = shapeOf(plan.model, m.target);
    const valueMember = shape.type === 'map' ? shape.value : m;
    const map: Record<string, unknown> = {};
    let any = false;
    for (const header of Object.keys(req.headers)) {
      if (!header.startsWith(prefix)) continue;
      const text = headerValue(req, header);
      if (text === undefined) continue;
      map[header.slice(prefix.length)] = readHeader(plan, valueMember, text);
      any = true;
    }
    if (any) out[name] = map;
  }
}

function readQuery(plan: InputPlan, req: WireRequest, out: Input): void {
  for (const [name, key, m] of plan.queries) {
    const item = listItem(plan.model, m);
    if (item) {
      const all = req.query.getAll(key);
      if (all.length) out[name] = all.map((v) => readScalar(plan, item, v, 'query'));
      continue;
    }
    const v = req.query.get(key);
    if (v !== null) out[name] = readScalar(plan, m, v, 'query');
  }
  if (plan.queryParams) {
    const taken = new Set(plan.queries.map(([, key]) => key));
    out[plan.queryParams[0]] = readQueryParams(plan.model, plan.queryParams[1], req, taken);
  }
}

/** httpQueryParams: every parameter no httpQuery member took, as a map (of lists, if so typed). */
function readQueryParams(model: ServiceModel, m: MemberDef, req: WireRequest, bound: Set<string>) {
  const shape = shapeOf(model, m.target);
  const asList = shape.type === 'map' && shapeOf(model, shape.value.target).type === 'list';
  const map: Record<string, unknown> = {};
  for (const key of new Set(req.query.keys())) {
    if (bound.has(key)) continue;
    map[key] = asList ? req.query.getAll(key) : req.query.get(key);
  }
  return map;
}

function readLabels(plan: InputPlan, labels: Record<string, string>, req: WireRequest, out: Input): void {
  for (const [name, m] of plan.labels) {
    const text = labels[name] ?? req.boundLabels?.[name];
    if (text !== undefined) out[name] = readScalar(plan, m, text, 'label');
  }
}

function readPayload(plan: InputPlan, req: WireRequest, out: Input): void {
  const [name, , kind] = plan.payload as NonNullable<InputPlan['payload']>;
  // an input event stream reaches the service still framed: no model here has one to decode
  if (kind === 'stream' || kind === 'events') {
    if (req.stream) out[name] = req.stream;
    else if (req.body.length) out[name] = Readable.from([req.body]);
    return;
  }
  if (!req.body.length) return;
  if (kind === 'blob') out[name] = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
  else if (kind === 'string') out[name] = req.body.toString('utf8');
  else out[name] = plan.readPayload?.(req.body);
}

/** S3-style host labels: `{RequestRoute}.` takes the host's first label. */
function readHostLabel(name: string, req: WireRequest, out: Input): void {
  const host = headerValue(req, 'host');
  const dot = host?.indexOf('.') ?? -1;
  if (host && dot > 0) out[name] = host.slice(0, dot);
}

type Input = Record<string, unknown>;

/** The operation's input from a REST request: labels, query, headers, payload or body. */
function parseRestInput(format: BodyFormat, model: ServiceModel, operation: string, req: WireRequest): Input {
  const plan = inputPlan(format, model, operation);
  const route = bindingFor(format, model).byName.get(operation);
  if (!plan || !route) return {};
  const out: Input = {};
  if (plan.readBody && req.body.length) Object.assign(out, plan.readBody(req.body));
  if (plan.payload) readPayload(plan, req, out);
  readLabels(plan, matchPath(route.segments, splitPath(req.path)) ?? {}, req, out);
  readQuery(plan, req, out);
  readHeaders(plan, req, out);
  if (plan.hostLabel) readHostLabel(plan.hostLabel, req, out);
  return out;
}

// --- output ----------------------------------------------------------------------------

function buildOutputPlan(format: BodyFormat, model: ServiceModel, shapeId: string): OutputPlan {
  const [members] = membersOf(model, shapeId);
  const plan: OutputPlan = { headers: [], prefixHeaders: [] };
  for (const [name, m] of Object.entries(members)) {
    if (m.httpHeader) plan.headers.push([name, m.httpHeader.toLowerCase(), m]);
    else if (m.httpPrefixHeaders !== undefined)
      plan.prefixHeaders.push([name, m.httpPrefixHeaders.toLowerCase(), m]);
    else if (m.httpResponseCode) plan.statusMember = name;
    else if (m.httpPayload) plan.payload = [name, m, payloadKind(model, m)];
  }
  if (plan.payload?.[2] === 'document')
    plan.writePayload = format.payloadWriter(model, plan.payload[0], plan.payload[1]);
  if (plan.payload?.[2] === 'events') plan.writeEvents = eventStreamWriter(format, model, plan.payload[1]);
  const body = bodyMembers(members);
  if (body.length) plan.writeBody = format.membersWriter(model, shapeId, body);
  return plan;
}

/** The response plan of an output or error shape. */
function outputPlan(format: BodyFormat, model: ServiceModel, shapeId: string): OutputPlan {
  const b = bindingFor(format, model);
  let plan = b.outputs.get(shapeId);
  if (!plan) {
    plan = buildOutputPlan(format, model, shapeId);
    b.outputs.set(shapeId, plan);
  }
  return plan;
}

function quoteListItem(item: string): string {
  return item.includes(',') || item.includes('"')
    ? `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
    : item;
}

/** Header values must be visible ASCII: anything else travels RFC 2047-encoded, as S3 does. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

function writeScalar(model: ServiceModel, m: MemberDef, value: unknown, where: Location): string {
  const shape = shapeOf(model, m.target);
  switch (shape.type) {
    case 'timestamp':
      return formatTimestamp(
        value,
        timestampFormatOf(model, m, where === 'header' ? 'http-date' : 'date-time'),
      );
    case 'blob':
      return formatBase64(value);
    case 'string':
      return (m.mediaType ?? shape.traits?.mediaType) && where === 'header'
        ? formatBase64(value)
        : String(value);
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return formatNumber(value);
    default:
      return String(value);
  }
}

function writeHeader(model: ServiceModel, m: MemberDef, value: unknown): string {
  const item = listItem(model, m);
  const text =
    item && Array.isArray(value)
      ? value
          .map((v) => writeScalar(model, item, v, 'header'))
          .map((s) => (shapeOf(model, item.target).type === 'timestamp' ? s : quoteListItem(s)))
          .join(', ')
      : writeScalar(model, m, value, 'header');
  return HEADER_SAFE.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function writeHeaders(
  model: ServiceModel,
  plan: OutputPlan,
  output: Input,
  headers: Record<string, string>,
): void {
  for (const [name, header, m] of plan.headers) {
    const v = output[name];
    if (v !== undefined && v !== null) headers[header] = writeHeader(model, m, v);
  }
  for (const [name, prefix, m] of plan.prefixHeaders) {
    const map = output[name];
    if (!map || typeof map !== 'object') continue;
    const shape = shapeOf(model, m.target);
    const valueMember = shape.type === 'map' ? shape.value : m;
    for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
      if (v !== undefined && v !== null)
        headers[`${prefix}${k}`.toLowerCase()] = writeHeader(model, valueMember, v);
    }
  }
}

function rawPayload(value: unknown, kind: PayloadKind): string | Buffer | Readable {
  if (value instanceof Readable) return value;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (
    kind === 'stream' &&
    value &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  ) {
    return Readable.from(value as AsyncIterable<unknown>);
  }
  return String(value);
}

const DEFAULT_RAW_TYPE: Record<PayloadKind, string> = {
  blob: 'application/octet-stream',
  stream: 'application/octet-stream',
  string: 'text/plain',
  document: '',
  events: EVENT_STREAM_CONTENT_TYPE,
};

function writePayload(format: BodyFormat, plan: OutputPlan, output: Input, res: WireResponse): void {
  const [name, , kind] = plan.payload as NonNullable<OutputPlan['payload']>;
  const value = output[name];
  if (value === undefined || value === null) return;
  if (kind === 'document') {
    res.body = plan.writePayload?.(value);
    res.headers['content-type'] ??= format.contentType;
    return;
  }
  res.body = kind === 'events' ? plan.writeEvents?.(value) : rawPayload(value, kind);
  res.headers['content-type'] ??= DEFAULT_RAW_TYPE[kind];
}

/** The REST response of an operation's output: status, headers, then payload or body. */
function serializeRestOutput(
  format: BodyFormat,
  model: ServiceModel,
  operation: string,
  output: Input,
): WireResponse {
  const op = model.operations[operation];
  if (!op) return { status: 200, headers: {} };
  const plan = outputPlan(format, model, op.output);
  const status = plan.statusMember ? Number(output[plan.statusMember]) : Number.NaN;
  const valid = Number.isInteger(status) && status >= 100 && status <= 599;
  const res: WireResponse = { status: valid ? status : (op.http?.code ?? 200), headers: {} };
  writeHeaders(model, plan, output, res.headers);
  if (plan.payload) writePayload(format, plan, output, res);
  else if (plan.writeBody) {
    res.body = plan.writeBody(output);
    res.headers['content-type'] ??= format.contentType;
  }
  return res;
}

/** What the REST binding does for a protocol, given its body format: the protocol adds its errors. */
export type RestBinding = Required<
  Pick<ProtocolCodec, 'resolveOperation' | 'hasStreamingInput' | 'parseInput' | 'serializeOutput'>
>;

export function restBinding(format: BodyFormat): RestBinding {
  return {
    resolveOperation: (model, req) => resolveRestOperation(format, model, req),
    hasStreamingInput: (model, operation) => restHasStreamingInput(format, model, operation),
    parseInput: (model, operation, req) => parseRestInput(format, model, operation, req),
    serializeOutput: (model, operation, output) => serializeRestOutput(format, model, operation, output),
  };
}

/** The headers a modelled error binds some of its members to (Lambda's Retry-After). */
export function writeRestErrorHeaders(
  format: BodyFormat,
  model: ServiceModel,
  errorShapeId: string,
  fields: Input,
  headers: Record<string, string>,
): void {
  writeHeaders(model, outputPlan(format, model, errorShapeId), fields, headers);
}

/** The HTTP status of a modelled error shape, if it declares one. */
export function modelledStatus(shape: ShapeDef | undefined): number | undefined {
  return shape?.traits?.httpError as number | undefined;
}
