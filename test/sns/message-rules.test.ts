import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import {
  checkAttributes,
  checkPhoneNumber,
  checkSubject,
  parseStructure,
} from '../../src/services/sns/message-rules.js';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof AwsError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('did not fail');
}

const PATH = 'messageAttributes';

describe('SNS message rules', () => {
  it.each([
    [
      { DataType: 'String' },
      "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
    ],
    [
      { DataType: 'String', StringValue: '' },
      "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
    ],
    [
      { DataType: 'Binary' },
      "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'Binary'.",
    ],
    [
      { DataType: 'String', BinaryValue: Uint8Array.of(1) },
      "The message attribute 'a' with type 'String' must use field 'String'.",
    ],
    [
      { DataType: 'Number', BinaryValue: Uint8Array.of(1) },
      "The message attribute 'a' with type 'Number' must use field 'String'.",
    ],
    [
      { DataType: 'Binary', StringValue: 'x' },
      "The message attribute 'a' with type 'Binary' must use field 'Binary'.",
    ],
    [
      { DataType: 'Text', StringValue: 'x' },
      "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    ],
    [{ DataType: 'Number', StringValue: 'ten' }, "Could not cast message attribute 'a' value to number."],
  ])('refuse attribute %j with ParameterValueInvalid', (value, message) => {
    expect(failure(() => checkAttributes({ a: value }, PATH))).toEqual({
      code: 'InvalidParameterValueException',
      message,
    });
  });

  it.each([
    [
      'a^b',
      "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
    ],
    ['.a', "Invalid message attribute name starting with character '.' was found."],
    ['a.', "Invalid message attribute name ending with character '.' was found."],
    ['a..b', "Message attribute name can not have successive '.' character."],
    ['a'.repeat(256), 'Length of message attribute name must be less than 256 bytes.'],
  ])('refuse the attribute name %s', (name, message) => {
    expect(
      failure(() => checkAttributes({ [name]: { DataType: 'String', StringValue: 'x' } }, PATH)).message,
    ).toBe(message);
  });

  it('name a missing data type as a validation error at its path', () => {
    expect(failure(() => checkAttributes({ attr1: {} as never }, PATH))).toEqual({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
    });
  });

  it('count names, types and values towards the size, and keep String.Array values that are JSON arrays', () => {
    const checked = checkAttributes(
      {
        list: { DataType: 'String.Array', StringValue: '["a",1,true]' },
        bin: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2) },
      },
      PATH,
    );
    expect(checked.size).toBe(4 + 12 + 12 + 3 + 6 + 2);
    expect(
      failure(() => checkAttributes({ l: { DataType: 'String.Array', StringValue: '{"a":1}' } }, PATH)).code,
    ).toBe('InvalidParameterValueException');
  });

  it('take MessageStructure json with a default entry, ignoring entries that are not strings', () => {
    expect(parseStructure('{"default":"d","sqs":"q","email":{"x":1}}', 'json')).toEqual({
      default: 'd',
      sqs: 'q',
    });
    expect(failure(() => parseStructure('{"sqs":"q"}', 'json')).message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    expect(failure(() => parseStructure('{"default": 1}', 'json')).message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    expect(failure(() => parseStructure('not json', 'json')).message).toBe(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  });

  it('check subjects and phone numbers', () => {
    expect(() => checkSubject('Order 42: shipped!')).not.toThrow();
    expect(failure(() => checkSubject('line\nbreak')).message).toBe('Invalid parameter: Subject');
    expect(failure(() => checkSubject('x'.repeat(100))).message).toBe('Invalid parameter: Subject');
    expect(checkPhoneNumber('+15551234567')).toBe('+15551234567');
    expect(failure(() => checkPhoneNumber('+1a234')).message).toBe(
      'Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to',
    );
  });
});
