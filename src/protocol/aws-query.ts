/**
 * The awsQuery protocol: STS, SNS, and SQS as boto3 and older clients speak it (the SQS model
 * is awsJson with `awsQueryCompatible`, and keeps the query names this codec reads). The
 * operation is the `Action` parameter; the response is
 * `<OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata><RequestId>` and an error
 * `<ErrorResponse><Error><Type><Code><Message>` with the model's awsQueryError code and status.
 */
import { AwsError } from '../errors.js';
import type { ServiceModel } from './model.js';
import { parseQueryInput, type QueryStyle, queryAction, requestParams } from './query-params.js';
import { escapeXmlAttribute, escapeXmlText } from './scalar-text.js';
import type { ProtocolCodec, ResponseContext, WireRequest, WireResponse } from './wire.js';
import { writeXmlMembers } from './xml-shapes.js';

/** A query codec also says why a request named no operation of the model. */
const namespaces = new WeakMap<ServiceModel, string>();

/** The response xmlns, escaped for the attribute. */
function namespaceOf(model: ServiceModel): string {
  let ns = namespaces.get(model);
  if (ns === undefined) {
    const uri = model.xmlNamespace ?? `https://${model.signingName}.amazonaws.com/doc/${model.version}/`;
    ns = escapeXmlAttribute(uri);
    namespaces.set(model, ns);
  }
  return ns;
}

/** An error's wire code and status: the model's awsQueryError when the code names an error
 * shape, else the code and status the service gave. */
export function queryErrorOf(
  model: ServiceModel,
  error: AwsError,
): { code: string; status: number; shapeId?: string } {
  const shape = Object.hasOwn(model.shapes, error.code) ? model.shapes[error.code] : undefined;
  if (!shape?.traits?.error) return { code: error.code, status: error.status };
  const [code, status] = shape.traits.awsQueryError ?? [error.code, shape.traits.httpError ?? error.status];
  return { code, status, shapeId: error.code };
}

function hasResult(model: ServiceModel, outputId: string): boolean {
  const shape = model.shapes[outputId];
  return shape?.type === 'structure' && Object.keys(shape.members).length > 0;
}

function xmlResponse(status: number, requestId: string, body: string, extra: Record<string, string> = {}) {
  return {
    status,
    headers: { ...extra, 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  } satisfies WireResponse;
}

/** The error's extra fields, minus the message the Error element already carries. */
function errorFields(error: AwsError): Record<string, unknown> {
  const { message: _m, Message: _M, ...fields } = error.fields;
  return fields;
}

/** A query protocol's parseInput: an operation the model lacks is the protocol's operationNotFound. */
export function queryInputParser(
  style: QueryStyle,
  notFound: ProtocolCodec['operationNotFound'],
): ProtocolCodec['parseInput'] {
  return (model, operation, req) => {
    const op = model.operations[operation];
    if (!op) throw notFound(model, req);
    return parseQueryInput(model, op.input, requestParams(req), style);
  };
}

function operationNotFound(_model: ServiceModel, req: WireRequest): AwsError {
  const params = requestParams(req);
  const action = params.get('Action');
  if (!action) return new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  const version = params.get('Version') || 'NO_VERSION_SPECIFIED';
  return new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400);
}

export const awsQueryCodec: ProtocolCodec = {
  resolveOperation: queryAction,

  parseInput: queryInputParser('awsQuery', operationNotFound),

  serializeOutput(model, operation, output, ctx: ResponseContext) {
    const outputId = model.operations[operation]?.output ?? 'unit';
    const result = hasResult(model, outputId)
      ? `<${operation}Result>${writeXmlMembers(model, outputId, output)}</${operation}Result>`
      : '';
    const body =
      `<${operation}Response xmlns="${namespaceOf(model)}">${result}` +
      `<ResponseMetadata><RequestId>${escapeXmlText(ctx.requestId)}</RequestId></ResponseMetadata>` +
      `</${operation}Response>`;
    return xmlResponse(200, ctx.requestId, body);
  },

  serializeError(model, error, ctx) {
    const { code, status, shapeId } = queryErrorOf(model, error);
    const fields = shapeId ? writeXmlMembers(model, shapeId, errorFields(error)) : '';
    const body =
      `<ErrorResponse xmlns="${namespaceOf(model)}"><Error>` +
      `<Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
      `<Code>${escapeXmlText(code)}</Code><Message>${escapeXmlText(error.message)}</Message>${fields}` +
      `</Error><RequestId>${escapeXmlText(ctx.requestId)}</RequestId></ErrorResponse>`;
    return xmlResponse(status, ctx.requestId, body, error.headers);
  },

  operationNotFound,
};
