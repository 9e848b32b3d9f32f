/**
 * SQS over the query protocol, as boto3, the AWS CLI and older SDKs speak it: a SigV4-signed
 * form POST (`Action=...&Version=2012-11-05&...`) answered in XML. Parameters are given in
 * their flattened wire form (`Attribute.1.Name`); the helpers below build the common ones.
 */
import { XMLParser } from 'fast-xml-parser';
import { TEST_CREDENTIALS } from '../harness.js';
import { type Credentials, signedPost } from './signed-post.js';

export type XmlNode = Record<string, unknown>;

export interface QueryResponse {
  status: number;
  /** the `<ActionResult>` element; {} when the action has no result or failed */
  result: XmlNode;
  /** `<ErrorResponse><Error>` when the request failed */
  error?: { Type: string; Code: string; Message: string };
  requestId?: string;
  text: string;
}

/** Elements SQS repeats without a wrapper (flattened lists and maps): always arrays. A
 * `QueueUrl` is one value in CreateQueueResult and repeats in ListQueuesResult: see items(). */
const REPEATED = new Set([
  'Message',
  'Attribute',
  'MessageAttribute',
  'Tag',
  'SendMessageBatchResultEntry',
  'DeleteMessageBatchResultEntry',
  'ChangeMessageVisibilityBatchResultEntry',
  'BatchResultErrorEntry',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  // character references (&#xD;) are resolved only with htmlEntities on
  htmlEntities: true,
  // an SQS <Message> has children; an error's or a batch entry's <Message> is text
  isArray: (name, _path, isLeaf) => REPEATED.has(name) && !(isLeaf && name === 'Message'),
});

export class SqsQueryClient {
  constructor(
    private readonly endpoint: string,
    private readonly credentials: Credentials = TEST_CREDENTIALS,
  ) {}

  /** Posts the action to `path` (the endpoint's root unless given, e.g. a queue URL's path). */
  async send(
    action: string,
    params: Record<string, string | number> = {},
    path = '/',
  ): Promise<QueryResponse> {
    const form = new URLSearchParams({ Action: action, Version: '2012-11-05' });
    for (const [name, value] of Object.entries(params)) form.append(name, String(value));
    const res = await signedPost(
      this.endpoint,
      {
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form.toString(),
      },
      this.credentials,
    );
    return parseResponse(action, res.status, await res.text());
  }
}

function parseResponse(action: string, status: number, text: string): QueryResponse {
  const doc = parser.parse(text) as XmlNode;
  const failure = doc.ErrorResponse as XmlNode | undefined;
  if (failure) {
    return {
      status,
      result: {},
      error: failure.Error as QueryResponse['error'],
      requestId: failure.RequestId as string | undefined,
      text,
    };
  }
  const response = (doc[`${action}Response`] ?? {}) as XmlNode;
  const result = response[`${action}Result`];
  const metadata = response.ResponseMetadata as XmlNode | undefined;
  return {
    status,
    result: typeof result === 'object' && result !== null ? (result as XmlNode) : {},
    requestId: metadata?.RequestId as string | undefined,
    text,
  };
}

/** `{VisibilityTimeout: '45'}` as `Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45`. */
export function mapParams(
  prefix: string,
  entries: Record<string, string>,
  keyName = 'Name',
  valueName = 'Value',
): Record<string, string> {
  const params: Record<string, string> = {};
  Object.entries(entries).forEach(([key, value], i) => {
    params[`${prefix}.${i + 1}.${keyName}`] = key;
    params[`${prefix}.${i + 1}.${valueName}`] = value;
  });
  return params;
}

/** `['All']` as `AttributeName.1=All`. */
export function listParams(prefix: string, values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((value, i) => [`${prefix}.${i + 1}`, value]));
}

/** Repeated `<Attribute><Name/><Value/></Attribute>` (or Key/Value) elements as a record. */
export function pairs(items: unknown, keyName = 'Name', valueName = 'Value'): Record<string, unknown> {
  const list = Array.isArray(items) ? (items as XmlNode[]) : [];
  return Object.fromEntries(list.map((item) => [item[keyName] as string, item[valueName]]));
}

/** Repeated elements (a flattened list) as an array: [] when absent, one item when single. */
export function items<T = XmlNode>(value: unknown): T[] {
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}
