/**
 * What Publish and PublishBatch accept, with SNS's codes and messages: the message and
 * its subject, MessageStructure `json` (a `default` entry required; entries whose value is
 * not a string are ignored), message attributes (names, types String / String.Array /
 * Number / Binary and their values), phone numbers, and the 256 KiB limit on a message
 * with its attributes. Pure functions.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { AwsError } from '../../errors.js';
import type { SnsAttribute } from './envelope.js';
import { invalid, invalidParameterValue } from './errors.js';

export const MAX_MESSAGE_BYTES = 262_144;

const ATTRIBUTE_NAME_CHARACTER = /[A-Za-z0-9_.-]/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PHONE_NUMBER = /^\+?[1-9]\d{1,14}$/;
/** "UTF-8 text with no line breaks or control characters, and less than 100 characters long" */
const SUBJECT_CONTROL = /\p{Cc}/u;
const MAX_SUBJECT = 99;

export function checkMessage(message: string | undefined, path: string): string {
  if (message === undefined) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  if (message === '') throw invalid('Empty message');
  return message;
}

export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if ([...subject].length > MAX_SUBJECT || SUBJECT_CONTROL.test(subject)) throw invalid('Subject');
}

/** MessageStructure json: the message per protocol (string entries only), `default` required. */
export function parseStructure(
  message: string,
  structure: string | undefined,
): Record<string, string> | undefined {
  if (structure === undefined) return undefined;
  if (structure !== 'json') throw invalid('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  const perProtocol: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') perProtocol[key] = value;
  if (perProtocol.default === undefined)
    throw invalid('Message Structure - No default entry in JSON message body');
  return perProtocol;
}

function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name) >= 256) {
    throw invalidParameterValue('Length of message attribute name must be less than 256 bytes.');
  }
  if (name.startsWith('.')) {
    throw invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  }
  if (name.endsWith('.')) {
    throw invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  }
  for (const character of name) {
    if (!ATTRIBUTE_NAME_CHARACTER.test(character)) {
      const hex = (character.codePointAt(0) as number).toString(16).toUpperCase();
      throw invalidParameterValue(
        `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    }
  }
  if (name.includes('..')) {
    throw invalidParameterValue("Message attribute name can not have successive '.' character.");
  }
}

function checkStringArray(name: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!valid) {
    throw invalidParameterValue(
      `The message attribute '${name}' with type 'String.Array' has an invalid value: ${value}`,
    );
  }
}

/** One attribute, checked; `path` names the attributes map in a validation error. */
function checkAttribute(name: string, value: MessageAttributeValue, path: string): SnsAttribute {
  checkAttributeName(name);
  const dataType = value.DataType;
  if (dataType === undefined) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value null at '${path}.${name}.member.dataType' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  const kind = DATA_TYPE.exec(dataType)?.[1];
  if (!kind) {
    throw invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  const empty = () =>
    invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
    );
  const field = kind === 'Binary' ? 'Binary' : 'String';
  const given = field === 'Binary' ? value.BinaryValue : value.StringValue;
  if (given === undefined) {
    if (value.BinaryValue === undefined && value.StringValue === undefined) throw empty();
    throw invalidParameterValue(
      `The message attribute '${name}' with type '${dataType}' must use field '${field}'.`,
    );
  }
  if (given.length === 0) throw empty();
  if (field === 'Binary') return { DataType: dataType, BinaryValue: value.BinaryValue };
  const text = value.StringValue as string;
  if (kind === 'Number' && !NUMBER.test(text)) {
    throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
  }
  if (dataType === 'String.Array') checkStringArray(name, text);
  return { DataType: dataType, StringValue: text };
}

export interface CheckedAttributes {
  attributes?: Record<string, SnsAttribute>;
  /** bytes they count towards the message size: names, types and values */
  size: number;
}

export function checkAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
  path: string,
): CheckedAttributes {
  const names = Object.keys(attributes ?? {});
  if (names.length === 0) return { size: 0 };
  const checked: Record<string, SnsAttribute> = {};
  let size = 0;
  for (const name of names) {
    const attribute = checkAttribute(
      name,
      (attributes as Record<string, MessageAttributeValue>)[name] ?? {},
      path,
    );
    checked[name] = attribute;
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    size += attribute.BinaryValue
      ? attribute.BinaryValue.length
      : Buffer.byteLength(attribute.StringValue ?? '');
  }
  return { attributes: checked, size };
}

export function messageSize(message: string, attributes: CheckedAttributes): number {
  return Buffer.byteLength(message) + attributes.size;
}

export function checkPhoneNumber(phoneNumber: string): string {
  if (!PHONE_NUMBER.test(phoneNumber))
    throw invalid('PhoneNumber', `${phoneNumber} is not valid to publish to`);
  return phoneNumber;
}

export function isPhoneNumber(endpoint: string): boolean {
  return PHONE_NUMBER.test(endpoint);
}
