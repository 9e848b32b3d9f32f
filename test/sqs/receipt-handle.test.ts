import { describe, expect, it } from 'vitest';
import { decodeReceiptHandle, encodeReceiptHandle } from '../../src/services/sqs/receipt-handle.js';

describe('SQS receipt handles', () => {
  it('round-trips the queue, message and receive number', () => {
    const receipt = { queueId: 7, seq: 2 ** 40 + 3, receives: 12 };
    const handle = encodeReceiptHandle(receipt);
    expect(handle).toMatch(/^[A-Za-z0-9_-]{39}$/);
    expect(decodeReceiptHandle(handle)).toEqual(receipt);
  });

  it('issues a different handle for every receive of the same message', () => {
    const receipt = { queueId: 1, seq: 1, receives: 1 };
    expect(encodeReceiptHandle(receipt)).not.toBe(encodeReceiptHandle(receipt));
  });

  it('tells garbage and tampered handles from real ones', () => {
    const handle = encodeReceiptHandle({ queueId: 1, seq: 5, receives: 1 });
    expect(decodeReceiptHandle('garbage')).toBeUndefined();
    expect(decodeReceiptHandle('')).toBeUndefined();
    expect(decodeReceiptHandle(`${handle.slice(0, 38)}!`)).toBeUndefined();
    // one changed character in the numbers breaks the check
    const flipped = `${handle.slice(0, 10)}${handle[10] === 'A' ? 'B' : 'A'}${handle.slice(11)}`;
    expect(decodeReceiptHandle(flipped)).toBeUndefined();
  });
});

describe('SQS receipt handle random parts', () => {
  it('stay distinct and valid across many handles, past a refill of their pool', () => {
    const receipt = { queueId: 3, seq: 9, receives: 2 };
    const handles = Array.from({ length: 2000 }, () => encodeReceiptHandle(receipt));
    expect(new Set(handles).size).toBe(2000);
    for (const handle of handles) expect(decodeReceiptHandle(handle)).toEqual(receipt);
  });
});
