import { describe, expect, it } from 'vitest';
import { md5Hex, md5OfMessageAttributes } from '../../src/services/sqs/md5.js';

const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });

describe('SQS MD5 digests', () => {
  it('MD5OfMessageBody is the hex MD5 of the UTF-8 body', () => {
    // AWS answered this for SendMessage(MessageBody="message")
    expect(md5Hex('message')).toBe('78e731027d8fd50ed642340b7c9a63b3');
    expect(md5Hex('Ünïcødé ✓')).toBe(md5Hex(Buffer.from('Ünïcødé ✓', 'utf8')));
  });

  // digests AWS returned for these attributes (recorded against AWS by LocalStack's suite)
  it('matches AWS for string attributes, whatever order they are given in', () => {
    expect(md5OfMessageAttributes({ Foo: str('Bar') })).toBe('ae7155c6026991b6d54b11589678bf9c');
    expect(
      md5OfMessageAttributes({ 'Help.Me': str('Me'), Hello: str('There'), General: str('Kenobi') }),
    ).toBe('4c360f3fdafd970e05fae2f149d997f5');
    expect(md5OfMessageAttributes({ General: str('Kenobi'), Hello: str('There') })).toBe(
      'fca026605781cb4126a1e9044df24232',
    );
    expect(md5OfMessageAttributes({ Hello: str('There') })).toBe('a311262e065454b75da111d535b8dacd');
    expect(md5OfMessageAttributes({ Hello: str('There'), 'Help.Me': str('Me') })).toBe(
      '83fee93c1bcd8b9a5a923ffacdc636c7',
    );
  });

  // the examples of the aws-md5-of-message-attributes package, which follows AWS's algorithm
  it('encodes custom types, binary values and several attributes', () => {
    const number = str('4563442423554324324264524243.32543234', 'Number.float');
    const binary = { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') };
    expect(md5OfMessageAttributes({ attribName1: str('attribValue 1') })).toBe(
      '19e27d4e946b072f3f58da80d94fd778',
    );
    expect(md5OfMessageAttributes({ customNumberTypeAttrib: number })).toBe(
      '9fe1b90bbd9965bdf77bac517c7d2495',
    );
    expect(md5OfMessageAttributes({ binaryAttribute: binary })).toBe('31a92b15d92f8db860eda32aceb656c3');
    expect(
      md5OfMessageAttributes({
        attribName1: str('attribValue 1'),
        customNumberTypeAttrib: number,
        binaryAttribute: binary,
      }),
    ).toBe('c932db14a896c663f83c260297d594ff');
  });

  it('hashes exactly the documented byte layout', () => {
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from('k'),
      Buffer.from([0, 0, 0, 6]),
      Buffer.from('Binary'),
      Buffer.from([2]),
      Buffer.from([0, 0, 0, 2]),
      Buffer.from([0xff, 0x00]),
    ]);
    expect(md5OfMessageAttributes({ k: { DataType: 'Binary', BinaryValue: Uint8Array.of(0xff, 0) } })).toBe(
      md5Hex(expected),
    );
  });
});
