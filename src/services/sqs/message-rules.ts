/**
 * What SQS accepts in a message, with AWS's codes and messages: the body's characters and
 * size, message attributes (names, data types, values, at most 10), the AWSTraceHeader
 * system attribute, delays, and the FIFO group and deduplication ids. Pure functions.
 */
import type { MessageAttributeValue, MessageSystemAttributeValue } from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';
import { invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { type AttributeValue, md5OfMessageAttributes } from './md5.js';

/** XML 1.0's characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const INVALID_CHARACTERS_MESSAGE =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
const RESERVED_NAME = /^(aws\.|amazon\.)/i;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** alphanumeric and punctuation: printable ASCII without space */
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;

const MAX_ATTRIBUTES = 10;

export function checkBody(body: string | undefined): string {
  if (body === undefined || body === '') throw missingParameter('MessageBody');
  if (INVALID_CHARACTER.test(body)) {
    throw new AwsError('InvalidMessageContents', INVALID_CHARACTERS_MESSAGE, 400);
  }
  return body;
}

/** Message attributes as stored: binary values in base64. */
export type StoredAttributes = Record<
  string,
  { DataType: string; StringValue?: string; BinaryValue?: string }
>;

export interface CheckedAttributes {
  json: string | null;
  md5: string | null;
  /** bytes they count towards the message size */
  size: number;
}

const NO_ATTRIBUTES: CheckedAttributes = { json: null, md5: null, size: 0 };

function attributeError(message: string): AwsError {
  return invalidParameterValue(message);
}

function checkAttributeName(name: string): void {
  if (name.length === 0 || name.length > 256) {
    throw attributeError('Message (user) attribute names must be shorter than 256 Bytes');
  }
  if (!ATTRIBUTE_NAME.test(name)) {
    throw attributeError(
      'Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ',
    );
  }
  if (RESERVED_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw attributeError(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.",
    );
  }
}

/** One attribute's stored form and size; throws AWS's error for a bad one. */
function checkAttribute(name: string, value: MessageAttributeValue): [AttributeValue, number] {
  checkAttributeName(name);
  const dataType = value.DataType;
  if (!dataType)
    throw attributeError(`The message attribute '${name}' must contain non-empty message attribute type.`);
  const kind = DATA_TYPE.exec(dataType)?.[1];
  if (!kind || dataType.length > 256) {
    throw attributeError(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  const empty = () =>
    attributeError(`Message (user) attribute '${name}' must contain a non-empty value of type '${kind}'.`);
  const size = Buffer.byteLength(name) + Buffer.byteLength(dataType);
  if (kind === 'Binary') {
    const bytes = value.BinaryValue;
    if (!bytes || bytes.length === 0) throw empty();
    return [{ DataType: dataType, BinaryValue: bytes }, size + bytes.length];
  }
  const text = value.StringValue;
  if (text === undefined || text === '') throw empty();
  if (INVALID_CHARACTER.test(text)) throw attributeError(INVALID_CHARACTERS_MESSAGE);
  if (kind === 'Number' && !NUMBER.test(text)) {
    throw attributeError(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return [{ DataType: dataType, StringValue: text }, size + Buffer.byteLength(text)];
}

/** Checks message attributes; returns what is stored, their MD5 and the bytes they count. */
export function checkAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): CheckedAttributes {
  if (!attributes) return NO_ATTRIBUTES;
  const names = Object.keys(attributes);
  if (names.length === 0) return NO_ATTRIBUTES;
  if (names.length > MAX_ATTRIBUTES) {
    throw attributeError(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const checked: Record<string, AttributeValue> = {};
  const stored: StoredAttributes = {};
  let size = 0;
  for (const name of names) {
    const [value, bytes] = checkAttribute(name, attributes[name] as MessageAttributeValue);
    checked[name] = value;
    stored[name] = value.BinaryValue
      ? { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue).toString('base64') }
      : { DataType: value.DataType, StringValue: value.StringValue };
    size += bytes;
  }
  return { json: JSON.stringify(stored), md5: md5OfMessageAttributes(checked), size };
}

export interface CheckedSystemAttributes {
  traceHeader: string | null;
  md5: string | undefined;
}

/** MessageSystemAttributes: AWSTraceHeader, a String, is the only one. */
export function checkSystemAttributes(
  attributes: Record<string, MessageSystemAttributeValue> | undefined,
): CheckedSystemAttributes {
  if (!attributes || Object.keys(attributes).length === 0) return { traceHeader: null, md5: undefined };
  for (const name of Object.keys(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw attributeError(`Message system attribute name '${name}' is invalid.`);
    }
  }
  const trace = attributes.AWSTraceHeader as MessageSystemAttributeValue;
  if (trace.DataType !== 'String') {
    throw attributeError(`The message system attribute 'AWSTraceHeader' must be of type 'String'.`);
  }
  if (!trace.StringValue) {
    throw attributeError(
      `Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.`,
    );
  }
  const value = { DataType: 'String', StringValue: trace.StringValue };
  return { traceHeader: trace.StringValue, md5: md5OfMessageAttributes({ AWSTraceHeader: value }) };
}

/** The bytes a message counts against MaximumMessageSize and the batch limit. */
export function messageSize(body: string, attributes: CheckedAttributes): number {
  return Buffer.byteLength(body) + attributes.size;
}

export function checkSize(size: number, max: number): void {
  if (size > max) {
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
    );
  }
}

export function checkDelay(delay: number | undefined, fifo: boolean): void {
  if (delay === undefined) return;
  if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
    throw invalidValue('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
  }
  if (fifo && delay !== 0) {
    throw invalidValue(
      'DelaySeconds',
      delay,
      'The request include parameter that is not valid for this queue type.',
    );
  }
}

export function checkFifoId(
  value: string | undefined,
  parameter: 'MessageGroupId' | 'MessageDeduplicationId',
): void {
  if (value === undefined || FIFO_ID.test(value)) return;
  throw invalidValue(
    parameter,
    value,
    `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
  );
}
