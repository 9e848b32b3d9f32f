/**
 * awsJson1_0 and awsJson1_1 (DynamoDB, SQS): the operation named by X-Amz-Target, input and
 * output as one JSON document, errors as `__type` in the body and x-amzn-ErrorType.
 */
import { AwsError } from '../errors.js';
import {
  type JsonShapeOptions,
  jsonReader,
  jsonWriter,
  parseJsonBody,
  serializationError,
} from './json-shapes.js';
import type { ServiceModel, ShapeDef } from './model.js';
import type { ProtocolCodec, ResponseContext, WireRequest, WireResponse } from './wire.js';

const OPTIONS: JsonShapeOptions = { jsonName: false };

/** Errors raised by AWS's request framework rather than the service: their own namespace. */
const FRAMEWORK_NAMESPACES: Record<string, string> = {
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
  ValidationException: 'com.amazon.coral.validate',
};

function contentType(model: ServiceModel): string {
  return model.protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
}

function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The modelled error shape of a code, if the model has one. */
export function errorShape(model: ServiceModel, code: string): ShapeDef | undefined {
  return model.errors.includes(code) ? model.shapes[code] : undefined;
}

/** The member an error shape keeps its message in (`message` or `Message`), if it has one. */
function messageMember(shape: ShapeDef | undefined): string | undefined {
  if (!shape || !('members' in shape)) return undefined;
  if ('message' in shape.members) return 'message';
  return 'Message' in shape.members ? 'Message' : undefined;
}

/** An error's body members: the modelled ones written by its shape, the rest as plain JSON.
 * The message goes in the shape's message member, or `message` when it models none. */
export function jsonErrorMembers(
  model: ServiceModel,
  error: AwsError,
  shape: ShapeDef | undefined,
  opts: JsonShapeOptions,
): string {
  const values: Record<string, unknown> = { ...error.fields };
  const inShape = messageMember(shape);
  if (error.message && inShape) values[inShape] = error.message;
  const text = shape ? jsonWriter(model, error.code, opts)(values) : JSON.stringify(values, plainReplacer);
  const members = (text ?? '{}').slice(1, -1);
  if (!error.message || inShape || (!shape && 'message' in values)) return members;
  const message = `"message":${JSON.stringify(error.message)}`;
  return members ? `${message},${members}` : message;
}

function plainReplacer(this: unknown, key: string, v: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Date ? raw.getTime() / 1000 : v;
}

export const awsJsonCodec: ProtocolCodec = {
  resolveOperation(model, req) {
    const target = header(req, 'x-amz-target');
    const prefix = model.targetPrefix;
    if (!target || !prefix || target.length <= prefix.length + 1) return undefined;
    if (!target.startsWith(prefix) || target[prefix.length] !== '.') return undefined;
    const operation = target.slice(prefix.length + 1);
    return Object.hasOwn(model.operations, operation) ? operation : undefined;
  },

  operationNotFound: () => new AwsError('UnknownOperationException', '', 400),

  parseInput(model, operation, req) {
    const op = model.operations[operation];
    if (!op) throw serializationError();
    const body = parseJsonBody(req.body);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw serializationError(
        Array.isArray(body) ? 'Start of list found where not expected' : 'Expected structure or null',
      );
    }
    return jsonReader(model, op.input, OPTIONS)(body) as Record<string, unknown>;
  },

  serializeOutput(model, operation, output, _ctx: ResponseContext): WireResponse {
    const op = model.operations[operation];
    const body = op ? (jsonWriter(model, op.output, OPTIONS)(output) ?? '{}') : '{}';
    return { status: 200, headers: { 'content-type': contentType(model) }, body };
  },

  serializeError(model, error, _ctx): WireResponse {
    const shape = errorShape(model, error.code);
    const namespace = FRAMEWORK_NAMESPACES[error.code] ?? model.namespace;
    const members = jsonErrorMembers(model, error, shape, OPTIONS);
    const type = JSON.stringify(`${namespace}#${error.code}`);
    const headers: Record<string, string> = {
      'content-type': contentType(model),
      'x-amzn-errortype': error.code,
      ...error.headers,
    };
    if (model.awsQueryCompatible) {
      // Smithy's awsQueryCompatible: the query protocol's code and fault, for query-era clients
      const queryCode = (shape?.traits?.awsQueryError as [string, number] | undefined)?.[0] ?? error.code;
      headers['x-amzn-query-error'] = `${queryCode};${error.senderFault ? 'Sender' : 'Receiver'}`;
    }
    return {
      status: (shape?.traits?.httpError as number | undefined) ?? error.status,
      headers,
      body: `{"__type":${type}${members ? `,${members}` : ''}}`,
    };
  },
};
