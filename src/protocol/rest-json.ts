/**
 * restJson1 (Lambda): the REST binding with JSON documents, and errors as Lambda sends
 * them: x-amzn-ErrorType naming the code, the message and fields in a JSON body.
 */
import { AwsError } from '../errors.js';
import { errorShape, jsonErrorMembers } from './aws-json.js';
import { type BodyFormat, modelledStatus, restBinding, writeRestErrorHeaders } from './http-binding.js';
import {
  type JsonShapeOptions,
  jsonMembersReader,
  jsonMembersWriter,
  jsonReader,
  jsonWriter,
  parseJsonBody,
  serializationError,
} from './json-shapes.js';
import type { ProtocolCodec, WireResponse } from './wire.js';

const OPTIONS: JsonShapeOptions = { jsonName: true };
const CONTENT_TYPE = 'application/json';

const jsonBodyFormat: BodyFormat = {
  contentType: CONTENT_TYPE,
  membersReader(model, shapeId, names) {
    const read = jsonMembersReader(model, shapeId, names, OPTIONS);
    return (body) => read(parseJsonBody(body));
  },
  membersWriter(model, shapeId, names) {
    const write = jsonMembersWriter(model, shapeId, names, OPTIONS);
    return (value) => write(value) ?? '{}';
  },
  payloadReader(model, _name, member) {
    const read = jsonReader(model, member.target, OPTIONS);
    return (body) => read(parseJsonBody(body));
  },
  payloadWriter(model, _name, member) {
    const write = jsonWriter(model, member.target, OPTIONS);
    return (value) => write(value) ?? '{}';
  },
  invalidValue: serializationError,
};

export const restJsonCodec: ProtocolCodec = {
  ...restBinding(jsonBodyFormat),
  operationNotFound: (_model, req) =>
    new AwsError('UnknownOperationException', `No operation matches ${req.method} ${req.path}`, 404),

  serializeError(model, error): WireResponse {
    const shape = errorShape(model, error.code);
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': error.code };
    if (shape) writeRestErrorHeaders(jsonBodyFormat, model, error.code, error.fields, headers);
    Object.assign(headers, error.headers);
    return {
      status: modelledStatus(shape) ?? error.status,
      headers,
      body: `{${jsonErrorMembers(model, error, shape, OPTIONS)}}`,
    };
  },
};
