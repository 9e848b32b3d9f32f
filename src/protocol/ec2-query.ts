/**
 * The ec2Query protocol: query input named by ec2QueryName (lists always `Name.N`), and
 * responses without a Result wrapper: `<OpResponse xmlns><requestId>id</requestId>members`,
 * errors as `<Response><Errors><Error><Code><Message>...<RequestID>`.
 */
import { AwsError } from '../errors.js';
import { queryErrorOf, queryInputParser } from './aws-query.js';
import type { ServiceModel } from './model.js';
import { queryAction, requestParams } from './query-params.js';
import { escapeXmlAttribute, escapeXmlText } from './scalar-text.js';
import type { ProtocolCodec, WireRequest, WireResponse } from './wire.js';
import { writeXmlMembers } from './xml-shapes.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const namespaces = new WeakMap<ServiceModel, string>();

/** EC2 writes its namespace with a trailing slash, though the model's has none. */
function namespaceOf(model: ServiceModel): string {
  let ns = namespaces.get(model);
  if (ns === undefined) {
    const uri = model.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${model.version}`;
    ns = escapeXmlAttribute(uri.endsWith('/') ? uri : `${uri}/`);
    namespaces.set(model, ns);
  }
  return ns;
}

function xmlResponse(status: number, requestId: string, body: string, extra: Record<string, string> = {}) {
  return {
    status,
    headers: { ...extra, 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
    body,
  } satisfies WireResponse;
}

function operationNotFound(_model: ServiceModel, req: WireRequest): AwsError {
  const action = requestParams(req).get('Action');
  if (!action) return new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  return new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
}

export const ec2QueryCodec: ProtocolCodec = {
  resolveOperation: queryAction,

  parseInput: queryInputParser('ec2Query', operationNotFound),

  serializeOutput(model, operation, output, ctx) {
    const outputId = model.operations[operation]?.output ?? 'unit';
    const body =
      `${DECLARATION}<${operation}Response xmlns="${namespaceOf(model)}">` +
      `<requestId>${escapeXmlText(ctx.requestId)}</requestId>${writeXmlMembers(model, outputId, output)}` +
      `</${operation}Response>`;
    return xmlResponse(200, ctx.requestId, body);
  },

  serializeError(model, error, ctx) {
    const { code, status } = queryErrorOf(model, error);
    const body =
      `${DECLARATION}<Response><Errors><Error><Code>${escapeXmlText(code)}</Code>` +
      `<Message>${escapeXmlText(error.message)}</Message></Error></Errors>` +
      `<RequestID>${escapeXmlText(ctx.requestId)}</RequestID></Response>`;
    return xmlResponse(status, ctx.requestId, body, error.headers);
  },

  operationNotFound,
};
