/**
 * Input of the two query protocols: the parameters of a GET query string or a form-encoded
 * POST body (`A.B.1.C=v`), read into an input object through the model. awsQuery names a
 * member by its xmlName (lists `Name.member.N`, flattened `Name.N`; maps `Name.entry.N.key`);
 * ec2Query by its ec2QueryName, else its capitalised xmlName or name, with every list
 * flattened. Values that do not parse for their type are AWS's InvalidParameterValue.
 */
import { AwsError } from '../errors.js';
import type { MemberDef, ServiceModel, ShapeDef } from './model.js';
import { shapeOf } from './model.js';
import { parseBase64, parseBoolean, parseNumber, parseTimestamp } from './scalar-text.js';
import type { WireRequest } from './wire.js';

export type QueryStyle = 'awsQuery' | 'ec2Query';
type Struct = Record<string, unknown>;
type ListShape = Extract<ShapeDef, { type: 'list' }>;
type MapShape = Extract<ShapeDef, { type: 'map' }>;

/** The request's parameters: the query string, then a form body (which wins). Parsed once per
 * request (and body), since both the operation lookup and the input parser need them. */
export function requestParams(req: WireRequest): Map<string, string> {
  const cached = req.parsedParams;
  if (cached?.body === req.body) return cached.params;
  const params = new Map(req.query);
  if (req.body.length > 0 && isForm(req.headers['content-type'])) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  req.parsedParams = { body: req.body, params };
  return params;
}

function isForm(contentType: string | string[] | undefined): boolean {
  if (contentType === undefined) return true;
  const value = Array.isArray(contentType) ? contentType.join(',') : contentType;
  return value.toLowerCase().includes('application/x-www-form-urlencoded');
}

/** One segment of the dotted parameter names: its value and the segments below it. */
interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

function paramTree(params: Map<string, string>): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split('.')) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (!child) {
        child = {};
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

interface Reader {
  model: ServiceModel;
  style: QueryStyle;
  /** per structure shape: wire name -> the members it names (SQS's ReceiveMessage gives two
   * members the one name AttributeName: both are set) */
  names: Map<string, Map<string, [string, MemberDef][]>>;
}

const namesByModel = new WeakMap<ServiceModel, Record<QueryStyle, Reader['names']>>();

function readerFor(model: ServiceModel, style: QueryStyle): Reader {
  let byStyle = namesByModel.get(model);
  if (!byStyle) {
    byStyle = { awsQuery: new Map(), ec2Query: new Map() };
    namesByModel.set(model, byStyle);
  }
  return { model, style, names: byStyle[style] };
}

/** The input of an operation from its parameters; unknown parameters are ignored. */
export function parseQueryInput(
  model: ServiceModel,
  shapeId: string,
  params: Map<string, string>,
  style: QueryStyle,
): Struct {
  const shape = shapeOf(model, shapeId);
  // many calls (GetCallerIdentity, Describe* with no filters) have nothing to read
  if ('members' in shape && Object.keys(shape.members).length === 0) return {};
  return readStruct(readerFor(model, style), shapeId, paramTree(params), '');
}

function memberNames(r: Reader, shapeId: string): Map<string, [string, MemberDef][]> {
  let names = r.names.get(shapeId);
  if (!names) {
    names = new Map();
    const shape = shapeOf(r.model, shapeId);
    if (shape.type === 'structure' || shape.type === 'union') {
      for (const [name, member] of Object.entries(shape.members)) {
        const key = wireName(r, name, member);
        names.set(key, [...(names.get(key) ?? []), [name, member]]);
      }
    }
    r.names.set(shapeId, names);
  }
  return names;
}

function wireName(r: Reader, name: string, member: MemberDef): string {
  // the SDK merges the target shape's traits under the member's
  const xmlName = member.xmlName ?? shapeOf(r.model, member.target).traits?.xmlName ?? name;
  if (r.style === 'awsQuery') return xmlName;
  return member.ec2QueryName ?? xmlName.charAt(0).toUpperCase() + xmlName.slice(1);
}

function readStruct(r: Reader, shapeId: string, node: ParamNode, path: string): Struct {
  const out: Struct = {};
  if (!node.children) return out;
  const names = memberNames(r, shapeId);
  for (const [segment, child] of node.children) {
    for (const [name, member] of names.get(segment) ?? []) {
      const value = readValue(r, member, child, path + segment);
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

function readValue(r: Reader, member: MemberDef, node: ParamNode, path: string): unknown {
  const shape = shapeOf(r.model, member.target);
  switch (shape.type) {
    case 'structure':
    case 'union':
      return readStruct(r, member.target, node, `${path}.`);
    case 'list': {
      if (isFlat(r, member, shape)) return readList(r, shape, node, path);
      const item = itemName(r, shape);
      return readList(r, shape, node.children?.get(item), `${path}.${item}`);
    }
    case 'map':
      if (isFlat(r, member, shape)) return readMap(r, shape, node, path);
      return readMap(r, shape, node.children?.get('entry'), `${path}.entry`);
    default:
      return node.value === undefined ? undefined : readScalar(shape, node.value, path);
  }
}

function isFlat(r: Reader, member: MemberDef, shape: ShapeDef): boolean {
  return r.style === 'ec2Query' || Boolean(member.xmlFlattened || shape.traits?.xmlFlattened);
}

function itemName(r: Reader, list: ListShape): string {
  return (r.style === 'ec2Query' ? list.member.ec2QueryName : undefined) ?? list.member.xmlName ?? 'member';
}

/** The children numbered 1..N, in order of their numbers (clients may send them in any order). */
function indexed(node: ParamNode | undefined): [string, ParamNode][] {
  if (!node?.children) return [];
  const items: [number, string, ParamNode][] = [];
  for (const [key, child] of node.children) {
    const n = Number(key);
    if (Number.isSafeInteger(n) && n > 0) items.push([n, key, child]);
  }
  return items.sort((a, b) => a[0] - b[0]).map(([, key, child]) => [key, child]);
}

function readList(r: Reader, list: ListShape, items: ParamNode | undefined, path: string): unknown[] {
  const out: unknown[] = [];
  for (const [key, child] of indexed(items)) {
    const value = readValue(r, list.member, child, `${path}.${key}`);
    if (value !== undefined) out.push(value);
  }
  return out;
}

function readMap(r: Reader, map: MapShape, entries: ParamNode | undefined, path: string): Struct {
  const keyName = segmentName(r, map.key, 'key');
  const valueName = segmentName(r, map.value, 'value');
  const out: Struct = {};
  for (const [index, entry] of indexed(entries)) {
    const key = entry.children?.get(keyName)?.value;
    const valueNode = entry.children?.get(valueName);
    if (key === undefined || !valueNode) continue;
    const value = readValue(r, map.value, valueNode, `${path}.${index}.${valueName}`);
    if (value === undefined) continue;
    // defineProperty: a key named __proto__ must be data, not the object's prototype
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function segmentName(r: Reader, member: MemberDef, fallback: string): string {
  return (r.style === 'ec2Query' ? member.ec2QueryName : undefined) ?? member.xmlName ?? fallback;
}

function readScalar(shape: ShapeDef, text: string, path: string): unknown {
  switch (shape.type) {
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return parseNumber(text) ?? invalid(path, text, 'must be a number');
    case 'boolean':
      return parseBoolean(text) ?? invalid(path, text, 'must be true or false');
    case 'timestamp':
      return parseTimestamp(text) ?? invalid(path, text, 'must be an ISO 8601 timestamp');
    case 'blob':
      return parseBase64(text) ?? invalid(path, text, 'must be base64-encoded');
    default:
      return text;
  }
}

function invalid(path: string, text: string, reason: string): never {
  throw new AwsError(
    'InvalidParameterValue',
    `Value ${text} for parameter ${path} is invalid. Reason: ${reason}.`,
    400,
  );
}

/** The operation a query request names in its Action parameter, if the model has it. */
export function queryAction(model: ServiceModel, req: WireRequest): string | undefined {
  const action = requestParams(req).get('Action');
  return action !== undefined && Object.hasOwn(model.operations, action) ? action : undefined;
}
