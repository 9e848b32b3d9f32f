import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../src/errors.js';
import {
  checkAttributes,
  checkBody,
  checkDelay,
  checkFifoId,
  checkSystemAttributes,
} from '../../src/services/sqs/message-rules.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as AwsError).code;
  }
  return 'none';
}

describe('SQS message rules', () => {
  it('accepts the characters AWS allows in a body and refuses the others', () => {
    expect(checkBody('tab\tnewline\ncr\r ok \u{1F600} \uE000 \uFFFD')).toContain('ok');
    for (const bad of ['\u0000', '\u0008', '\uFFFE', '\uFFFF', '\uD800 lone']) {
      expect(
        codeOf(() => checkBody(bad)),
        JSON.stringify(bad),
      ).toBe('InvalidMessageContents');
    }
    expect(codeOf(() => checkBody(''))).toBe('MissingParameter');
  });

  it('checks message attributes: count, names, types and values', () => {
    const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });
    const ok = checkAttributes({
      a: str('x'),
      'b.c': str('-1.5e3', 'Number.float'),
      bin: { DataType: 'Binary', BinaryValue: Uint8Array.of(1) },
    });
    expect(ok.size).toBe(1 + 6 + 1 + 3 + 12 + 6 + 3 + 6 + 1);
    expect(JSON.parse(ok.json as string)).toEqual({
      a: { DataType: 'String', StringValue: 'x' },
      'b.c': { DataType: 'Number.float', StringValue: '-1.5e3' },
      bin: { DataType: 'Binary', BinaryValue: 'AQ==' },
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, str('x')]));
    for (const bad of [
      eleven,
      { 'AWS.x': str('x') },
      { '.x': str('x') },
      { 'a b': str('x') },
      { a: str('x', 'Text') },
      { a: str('') },
      { a: str('twelve', 'Number') },
      { a: { DataType: 'Binary' } },
    ]) {
      expect(
        codeOf(() => checkAttributes(bad)),
        JSON.stringify(bad).slice(0, 60),
      ).toBe('InvalidParameterValue');
    }
  });

  it('takes AWSTraceHeader as the only system attribute and digests it', () => {
    const trace = checkSystemAttributes({
      AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988' },
    });
    expect(trace.traceHeader).toBe('Root=1-5759e988');
    expect(trace.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(codeOf(() => checkSystemAttributes({ Other: { DataType: 'String', StringValue: 'x' } }))).toBe(
      'InvalidParameterValue',
    );
  });

  it('checks delays and FIFO ids', () => {
    expect(codeOf(() => checkDelay(900, false))).toBe('none');
    expect(codeOf(() => checkDelay(901, false))).toBe('InvalidParameterValue');
    expect(codeOf(() => checkDelay(0, true))).toBe('none');
    expect(codeOf(() => checkDelay(5, true))).toBe('InvalidParameterValue');
    expect(codeOf(() => checkFifoId('group-1!?', 'MessageGroupId'))).toBe('none');
    expect(codeOf(() => checkFifoId('with space', 'MessageGroupId'))).toBe('InvalidParameterValue');
    expect(codeOf(() => checkFifoId('x'.repeat(129), 'MessageDeduplicationId'))).toBe(
      'InvalidParameterValue',
    );
  });
});
