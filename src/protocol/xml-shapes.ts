/**
 * Model-driven XML for the XML protocols: writes an output (restXml bodies, awsQuery and
 * ec2Query responses) by string building, and reads a restXml request body into an input.
 * Naming follows Smithy's XML bindings as the SDK v3 reads and writes them: a member's
 * xmlName or its name; list items `member` (or the list member's xmlName; EC2's say `item`);
 * maps as entry/key/value; xmlFlattened lists and maps repeat the member's element.
 * Members bound to HTTP (headers, query, labels, status, payload) are never part of a body.
 */
import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import type { MemberDef, ServiceModel, ShapeDef } from './model.js';
import { perShape, shapeOf } from './model.js';
import { parseScalar } from './scalar-shapes.js';
import {
  escapeXmlAttribute,
  escapeXmlText,
  formatBase64,
  formatNumber,
  formatTimestamp,
} from './scalar-text.js';

type Struct = Record<string, unknown>;
type ListShape = Extract<ShapeDef, { type: 'list' }>;
type MapShape = Extract<ShapeDef, { type: 'map' }>;

/** A structure member as it appears in XML, worked out once per model and shape. */
interface XmlMember {
  name: string;
  member: MemberDef;
  shape: ShapeDef;
  /** element or attribute name */
  tag: string;
  /** ` xmlns:p="uri"` when the member declares a namespace, else '' */
  nsAttr: string;
  /** a flattened list or map: its items repeat the member's element, with no wrapper */
  flat: boolean;
}

interface XmlStruct {
  attributes: XmlMember[];
  elements: XmlMember[];
}

const HTTP_BOUND = [
  'httpHeader',
  'httpQuery',
  'httpLabel',
  'httpPrefixHeaders',
  'httpResponseCode',
  'httpQueryParams',
  'httpPayload',
] as const;

const compiled = perShape((model, shapeId) => compile(model, shapeOf(model, shapeId)));

function compile(model: ServiceModel, shape: ShapeDef): XmlStruct {
  const struct: XmlStruct = { attributes: [], elements: [] };
  if (shape.type !== 'structure' && shape.type !== 'union') return struct;
  for (const [name, member] of Object.entries(shape.members)) {
    if (HTTP_BOUND.some((t) => member[t] !== undefined)) continue;
    const target = shapeOf(model, member.target);
    const entry: XmlMember = {
      name,
      member,
      shape: target,
      tag: member.xmlName ?? name,
      nsAttr: namespaceAttribute(member.xmlNamespace ?? target.traits?.xmlNamespace),
      flat:
        (target.type === 'list' || target.type === 'map') &&
        Boolean(member.xmlFlattened || target.traits?.xmlFlattened),
    };
    (member.xmlAttribute ? struct.attributes : struct.elements).push(entry);
  }
  return struct;
}

function namespaceAttribute(ns: string | string[] | undefined): string {
  if (ns === undefined) return '';
  const [prefix, uri] = typeof ns === 'string' ? [undefined, ns] : ns.length > 1 ? ns : [undefined, ns[0]];
  if (!uri) return '';
  return ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeXmlAttribute(uri)}"`;
}

const itemTag = (list: ListShape): string => list.member.xmlName ?? 'member';

// ---------------------------------------------------------------------------------------------
// Writing: every shape compiles once per model into closures that only concatenate strings, so
// writing a value walks no model (a listing's thousand Contents are a thousand calls of one
// precompiled writer, each member's tags already built).

/** Writes one member's element(s) for a value that is present. */
type Write = (value: unknown) => string;

interface StructWriter {
  /** The attribute members as ` name="value"`, to go inside the opening tag. */
  attributes(value: Struct): string;
  /** The element members. */
  content(value: Struct): string;
}

export interface XmlWriteOptions {
  /** Default namespace written on the root element (e.g. S3's, or a query response's). */
  xmlns?: string;
}

const structWriter = perShape(compileStructWriter);

/** A writer for the whole element `<rootName ...>...</rootName>` of a value of the shape. */
export function xmlShapeWriter(
  model: ServiceModel,
  shapeId: string,
  rootName: string,
  opts: XmlWriteOptions = {},
): (value: unknown) => string {
  const xmlns = opts.xmlns ? ` xmlns="${escapeXmlAttribute(opts.xmlns)}"` : '';
  const write = elementWriter(model, { target: shapeId }, rootName, xmlns);
  return (value) => write(value ?? {});
}

/** The whole element `<rootName ...>...</rootName>` for a value of the shape. */
export function writeXmlShape(
  model: ServiceModel,
  shapeId: string,
  value: unknown,
  rootName: string,
  opts: XmlWriteOptions = {},
): string {
  return xmlShapeWriter(model, shapeId, rootName, opts)(value);
}

/** The member elements of a structure, for a caller that writes the enclosing element itself
 * (query responses: `<OpResult>` + members + `</OpResult>`). Attribute members are left out. */
export function writeXmlMembers(model: ServiceModel, shapeId: string, value: Struct): string {
  return structWriter(model, shapeId).content(value);
}

interface NamedWrite {
  name: string;
  write: Write;
}

function compileStructWriter(model: ServiceModel, shapeId: string): StructWriter {
  const struct = compiled(model, shapeId);
  const attributes: NamedWrite[] = struct.attributes.map((a) => {
    const text = scalarFormatter(a.shape, a.member);
    const open = `${a.nsAttr} ${a.tag}="`;
    return { name: a.name, write: (v) => `${open}${escapeXmlAttribute(text(v))}"` };
  });
  const elements: NamedWrite[] = struct.elements.map((e) => ({
    name: e.name,
    write: memberWriter(model, e),
  }));
  return {
    attributes: attributes.length ? (value) => writePresent(attributes, value) : () => '',
    content: (value) => writePresent(elements, value),
  };
}

function writePresent(writes: NamedWrite[], value: Struct): string {
  let out = '';
  for (const w of writes) {
    const v = value[w.name];
    if (v != null) out += w.write(v);
  }
  return out;
}

function memberWriter(model: ServiceModel, e: XmlMember): Write {
  if (!e.flat) return elementWriter(model, e.member, e.tag, e.nsAttr);
  if (e.shape.type === 'list') return itemsWriter(model, e.shape, e.tag);
  return entriesWriter(model, e.shape as MapShape, e.tag);
}

function elementWriter(model: ServiceModel, member: MemberDef, tag: string, attrs: string): Write {
  const shape = shapeOf(model, member.target);
  const open = `<${tag}${attrs}`;
  const close = `</${tag}>`;
  switch (shape.type) {
    case 'structure':
    case 'union': {
      // resolved on first use: a recursive shape would otherwise compile forever
      let struct: StructWriter | undefined;
      return (v) => {
        struct ??= structWriter(model, member.target);
        return `${open}${struct.attributes(v as Struct)}>${struct.content(v as Struct)}${close}`;
      };
    }
    case 'list': {
      const items = itemsWriter(model, shape, itemTag(shape));
      return (v) => `${open}>${items(v)}${close}`;
    }
    case 'map': {
      const entries = entriesWriter(model, shape, 'entry');
      return (v) => `${open}>${entries(v)}${close}`;
    }
    case 'string':
    case 'number':
    case 'boolean':
      return repeatedScalarWriter(`${open}>`, scalarTextFormatter(shape, member), close);
    default: {
      const text = scalarTextFormatter(shape, member);
      const opened = `${open}>`;
      return (v) => opened + text(v) + close;
    }
  }
}

/** Short values the same as the last one written (a listing's storage class, checksum type,
 * owner) reuse its element rather than escaping and concatenating again. */
const REPEATED_LENGTH = 64;

function repeatedScalarWriter(open: string, text: (value: unknown) => string, close: string): Write {
  let last: unknown;
  let lastXml = '';
  return (v) => {
    if (v === last) return lastXml;
    const xml = open + text(v) + close;
    if (typeof v !== 'string' || v.length <= REPEATED_LENGTH) {
      last = v;
      lastXml = xml;
    }
    return xml;
  };
}

function itemsWriter(model: ServiceModel, list: ListShape, tag: string): Write {
  const item = elementWriter(model, list.member, tag, '');
  return (items) => {
    let out = '';
    for (const v of items as unknown[]) if (v != null) out += item(v);
    return out;
  };
}

function entriesWriter(model: ServiceModel, map: MapShape, tag: string): Write {
  const keyOpen = `<${tag}><${map.key.xmlName ?? 'key'}>`;
  const keyClose = `</${map.key.xmlName ?? 'key'}>`;
  const close = `</${tag}>`;
  const value = elementWriter(model, map.value, map.value.xmlName ?? 'value', '');
  return (entries) => {
    let out = '';
    for (const [k, v] of Object.entries(entries as Struct)) {
      if (v != null) out += keyOpen + escapeXmlText(k) + keyClose + value(v) + close;
    }
    return out;
  };
}

/** A scalar as escaped element text. */
function scalarTextFormatter(shape: ShapeDef, member: MemberDef): (value: unknown) => string {
  if (shape.type !== 'string') return scalarFormatter(shape, member);
  return (v) => escapeXmlText(typeof v === 'string' ? v : String(v));
}

/** A scalar as text, unescaped: only strings can hold XML specials. */
function scalarFormatter(shape: ShapeDef, member: MemberDef): (value: unknown) => string {
  switch (shape.type) {
    case 'timestamp': {
      const format = member.timestampFormat ?? shape.traits?.timestampFormat;
      return (v) => formatTimestamp(v, format);
    }
    case 'blob':
      return formatBase64;
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return formatNumber;
    case 'boolean':
      return (v) => (v ? 'true' : 'false');
    default:
      return String;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The body is not well-formed XML or does not fit the shape: restXml answers MalformedXML. */
export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

export interface XmlReadOptions {
  /** The root element the document must have (a namespace prefix is ignored). */
  rootName?: string;
}

const ATTR = '@_';
const TEXT = '#text';
let library:
  | { parser: XMLParser; validate: typeof import('fast-xml-parser').XMLValidator.validate }
  | undefined;

/** The XML parser, loaded on first use: most requests never parse XML, and loading it costs
 * a quarter of the server's start-up. */
function xmlLibrary() {
  if (library) return library;
  const fxp = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  const parser = new fxp.XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    textNodeName: TEXT,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    // the parser resolves character references (&#xD;) only with htmlEntities on; the HTML named
    // entities it then also accepts are a harmless leniency
    htmlEntities: true,
  });
  library = { parser, validate: fxp.XMLValidator.validate };
  return library;
}
const WHITESPACE = /\s+/g;

/** A structure read from an XML document. Throws XmlParseError for malformed XML, a DTD
 * (never expanded: no entity can blow up), or a value that does not parse for its type. */
export function readXmlShape(
  model: ServiceModel,
  shapeId: string,
  xml: string | Buffer,
  opts: XmlReadOptions = {},
): Struct {
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) {
    throw new XmlParseError('DTDs and entity declarations are not allowed');
  }
  const { parser, validate } = xmlLibrary();
  const valid = validate(text);
  if (valid !== true) throw new XmlParseError(valid.err.msg);
  let doc: Struct;
  try {
    doc = parser.parse(text) as Struct;
  } catch (err) {
    throw new XmlParseError((err as Error).message);
  }
  const roots = Object.keys(doc);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || Array.isArray(doc[root])) {
    throw new XmlParseError('the document must have exactly one root element');
  }
  if (opts.rootName !== undefined && root !== opts.rootName && !root.endsWith(`:${opts.rootName}`)) {
    throw new XmlParseError(`expected root element ${opts.rootName}, found ${root}`);
  }
  return readElement(model, { target: shapeId }, doc[root], root) as Struct;
}

function readElement(model: ServiceModel, member: MemberDef, node: unknown, tag: string): unknown {
  const shape = shapeOf(model, member.target);
  switch (shape.type) {
    case 'structure':
    case 'union':
      return readStruct(model, member.target, node);
    case 'list':
      return readListItems(model, shape, childrenNamed(node, itemTag(shape)), tag);
    case 'map':
      return readMapEntries(model, shape, childrenNamed(node, 'entry'), tag);
    default:
      return readScalar(shape, leafText(node), tag);
  }
}

function readStruct(model: ServiceModel, shapeId: string, node: unknown): Struct {
  const out: Struct = {};
  if (typeof node !== 'object' || node === null) return out;
  const struct = compiled(model, shapeId);
  const fields = node as Struct;
  for (const a of struct.attributes) {
    const raw = fields[ATTR + a.tag];
    if (typeof raw === 'string') out[a.name] = readScalar(a.shape, raw, a.tag);
  }
  for (const e of struct.elements) {
    if (!Object.hasOwn(fields, e.tag)) continue;
    const raw = fields[e.tag];
    if (!e.flat) {
      if (Array.isArray(raw)) throw new XmlParseError(`element ${e.tag} appears more than once`);
      out[e.name] = readElement(model, e.member, raw, e.tag);
    } else if (e.shape.type === 'list') out[e.name] = readListItems(model, e.shape, asArray(raw), e.tag);
    else out[e.name] = readMapEntries(model, e.shape as MapShape, asArray(raw), e.tag);
  }
  return out;
}

function readListItems(model: ServiceModel, list: ListShape, items: unknown[], tag: string): unknown[] {
  return items.map((item) => readElement(model, list.member, item, tag));
}

function readMapEntries(model: ServiceModel, map: MapShape, entries: unknown[], tag: string): Struct {
  const keyTag = map.key.xmlName ?? 'key';
  const valueTag = map.value.xmlName ?? 'value';
  const out: Struct = {};
  for (const entry of entries) {
    const fields = typeof entry === 'object' && entry !== null ? (entry as Struct) : {};
    const key = leafText(Object.hasOwn(fields, keyTag) ? fields[keyTag] : undefined);
    const value = Object.hasOwn(fields, valueTag) ? fields[valueTag] : undefined;
    // defineProperty: a key named __proto__ must be data, not the object's prototype
    Object.defineProperty(out, key, {
      value: readElement(model, map.value, value, `${tag}.${valueTag}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function readScalar(shape: ShapeDef, text: string, tag: string): unknown {
  // base64 in XML may be wrapped across lines
  const value = parseScalar(shape.type, shape.type === 'blob' ? text.replace(WHITESPACE, '') : text);
  if (value === undefined) throw new XmlParseError(`element ${tag}: '${text}' is not a valid ${shape.type}`);
  return value;
}

function childrenNamed(node: unknown, tag: string): unknown[] {
  if (typeof node !== 'object' || node === null || !Object.hasOwn(node, tag)) return [];
  return asArray((node as Struct)[tag]);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** An element's text: the parser gives a string, or an object when it has attributes. */
function leafText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null) {
    const text = (node as Struct)[TEXT];
    if (typeof text === 'string') return text;
  }
  return '';
}
