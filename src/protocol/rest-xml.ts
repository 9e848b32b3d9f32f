/**
 * restXml as S3 speaks it: the REST binding with XML documents in S3's namespace, the
 * bucket bound outside the URI template (the router takes it from the path or the host),
 * and errors as S3's `<Error>` document.
 */
import { AwsError } from '../errors.js';
import { type BodyFormat, modelledStatus, restBinding } from './http-binding.js';
import type { MemberDef, ServiceModel } from './model.js';
import { shapeOf } from './model.js';
import { escapeXmlAttribute, escapeXmlText, formatTimestamp } from './scalar-text.js';
import type { ProtocolCodec, ResponseContext, WireRequest, WireResponse } from './wire.js';
import { readXmlShape, XmlParseError, xmlShapeWriter } from './xml-shapes.js';

const CONTENT_TYPE = 'application/xml';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}

/** The element a structure is written as: its xmlName, else its shape name. */
function rootName(model: ServiceModel, shapeId: string, member?: MemberDef): string {
  return member?.xmlName ?? shapeOf(model, shapeId).traits?.xmlName ?? shapeId;
}

function reader(model: ServiceModel, shapeId: string, root: string): (body: Buffer) => unknown {
  return (body) => {
    try {
      return readXmlShape(model, shapeId, body, { rootName: root });
    } catch (err) {
      if (err instanceof XmlParseError) throw malformedXml();
      throw err;
    }
  };
}

function writer(model: ServiceModel, shapeId: string, root: string): (value: unknown) => string {
  const write = xmlShapeWriter(model, shapeId, root, { xmlns: model.xmlNamespace });
  return (value) => DECLARATION + write(value);
}

/**
 * A body whose one member is a string named as the root element is that element's text:
 * S3's GetBucketLocation answers `<LocationConstraint xmlns="...">eu-west-1</LocationConstraint>`,
 * and clients (boto3) read it so.
 */
function textRoot(
  model: ServiceModel,
  shapeId: string,
  names: readonly string[],
  root: string,
): ((value: unknown) => string) | undefined {
  const shape = shapeOf(model, shapeId);
  const only =
    names.length === 1 && names[0] === root && 'members' in shape ? shape.members[root] : undefined;
  if (!only || shapeOf(model, only.target).type !== 'string') return undefined;
  const open = `${DECLARATION}<${root}${model.xmlNamespace ? ` xmlns="${escapeXmlAttribute(model.xmlNamespace)}"` : ''}`;
  return (value) => {
    const text = (value as Record<string, unknown>)[root];
    return text === undefined || text === null
      ? `${open}/>`
      : `${open}>${escapeXmlText(String(text))}</${root}>`;
  };
}

const xmlBodyFormat: BodyFormat = {
  contentType: CONTENT_TYPE,
  // xml-shapes leaves HTTP-bound members out of a body by itself: the names are implied
  membersReader: (model, shapeId) => reader(model, shapeId, rootName(model, shapeId)),
  membersWriter(model, shapeId, names) {
    const root = rootName(model, shapeId);
    return textRoot(model, shapeId, names, root) ?? writer(model, shapeId, root);
  },
  payloadReader: (model, _name, member) =>
    reader(model, member.target, rootName(model, member.target, member)),
  payloadWriter: (model, _name, member) =>
    writer(model, member.target, rootName(model, member.target, member)),
  invalidValue: (message) => new AwsError('InvalidArgument', message, 400),
};
const rest = restBinding(xmlBodyFormat);

/**
 * A request whose path-style bucket names no operation is tried as a bucketless path:
 * S3's WriteGetObjectResponse (`POST /WriteGetObjectResponse`) takes no bucket at all.
 */
function withoutBucket(req: WireRequest): WireRequest | undefined {
  const bucket = req.boundLabels?.Bucket;
  if (bucket === undefined) return undefined;
  const path = `/${encodeURIComponent(bucket)}${req.path === '/' ? '' : req.path}`;
  return { ...req, path, boundLabels: undefined };
}

function takesBucket(model: ServiceModel, operation: string): boolean {
  const input = shapeOf(model, model.operations[operation]?.input ?? 'unit');
  return 'members' in input && input.members.Bucket?.httpLabel === true;
}

function errorFields(fields: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    const text = value instanceof Date ? formatTimestamp(value) : String(value);
    out += `<${name}>${escapeXmlText(text)}</${name}>`;
  }
  return out;
}

export const restXmlCodec: ProtocolCodec = {
  resolveOperation(model, req) {
    const op = rest.resolveOperation(model, req);
    if (op) return op;
    const bare = withoutBucket(req);
    return bare && rest.resolveOperation(model, bare);
  },

  operationNotFound: () =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405),

  hasStreamingInput: rest.hasStreamingInput,

  parseInput(model, operation, req) {
    const bare = !takesBucket(model, operation) && withoutBucket(req);
    return rest.parseInput(model, operation, bare || req);
  },

  serializeOutput(model, operation, output, ctx: ResponseContext): WireResponse {
    const res = rest.serializeOutput(model, operation, output, ctx);
    if (ctx.method === 'HEAD' && typeof res.body === 'string') res.body = undefined;
    return res;
  },

  serializeError(model, error, ctx): WireResponse {
    const shape = model.errors.includes(error.code) ? model.shapes[error.code] : undefined;
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'x-amz-request-id': ctx.requestId,
      ...error.headers,
    };
    const status = modelledStatus(shape) ?? error.status;
    if (ctx.method === 'HEAD') return { status, headers };
    const resource = ctx.resource && error.fields.Resource === undefined ? { Resource: ctx.resource } : {};
    const body =
      `${DECLARATION}\n<Error><Code>${escapeXmlText(error.code)}</Code>` +
      `<Message>${escapeXmlText(error.message)}</Message>` +
      `${errorFields({ ...error.fields, ...resource })}` +
      `<RequestId>${escapeXmlText(ctx.requestId)}</RequestId></Error>`;
    return { status, headers, body };
  },
};
