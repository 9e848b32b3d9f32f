import { describe, expect, it } from 'vitest';
import {
  type FilterInput,
  type FilterPolicyScope,
  matchesFilterPolicy,
  parseFilterPolicy,
} from '../../../src/services/sns/filter-policy/index.js';

type Attribute = NonNullable<FilterInput['attributes']>[string];

/** Message attributes: a string is a String, a number a Number, an array a String.Array. */
function attributes(values: Record<string, string | number | unknown[]>): FilterInput {
  const out: Record<string, Attribute> = {};
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) out[name] = { DataType: 'String.Array', StringValue: JSON.stringify(value) };
    else if (typeof value === 'number') out[name] = { DataType: 'Number', StringValue: String(value) };
    else out[name] = { DataType: 'String', StringValue: value };
  }
  return { attributes: out };
}

const body = (value: unknown): FilterInput => ({ body: value });
const A: FilterPolicyScope = 'MessageAttributes';
const B: FilterPolicyScope = 'MessageBody';

type Case = [policy: object, scope: FilterPolicyScope, message: FilterInput, matches: boolean];

function check(cases: Case[]) {
  it.each(cases)('%j (%s) with %j: %s', (policy, scope, message, expected) => {
    expect(matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy), scope), message)).toBe(expected);
  });
}

// "Amazon SNS example filter policies": the customer-transaction message, as attributes and as body
const transactionAttributes = {
  attributes: {
    customer_interests: { DataType: 'String.Array', StringValue: '["soccer", "rugby", "hockey"]' },
    store: { DataType: 'String', StringValue: 'example_corp' },
    event: { DataType: 'String', StringValue: 'order_placed' },
    price_usd: { DataType: 'Number', StringValue: '210.75' },
  },
};
const transactionBody = body({
  customer_interests: ['soccer', 'rugby', 'hockey'],
  store: 'example_corp',
  event: 'order_placed',
  price_usd: 210.75,
});
const accepting = {
  store: ['example_corp'],
  event: [{ 'anything-but': 'order_cancelled' }],
  customer_interests: ['rugby', 'football', 'baseball'],
  price_usd: [{ numeric: ['>=', 100] }],
};
const rejecting = {
  store: ['example_corp'],
  event: ['order_cancelled'],
  encrypted: [false],
  customer_interests: ['basketball', 'baseball'],
};

describe('AWS docs: example filter policies', () => {
  check([
    [accepting, A, transactionAttributes, true],
    [rejecting, A, transactionAttributes, false],
    [accepting, B, transactionBody, true],
    [rejecting, B, transactionBody, false],
  ]);
});

const interests = ['rugby', 'tennis'];
describe('AWS docs: string value matching', () => {
  check([
    // exact matching
    [{ customer_interests: interests }, A, attributes({ customer_interests: 'rugby' }), true],
    [{ customer_interests: interests }, A, attributes({ customer_interests: 'tennis' }), true],
    [{ customer_interests: interests }, A, attributes({ customer_interests: ['rugby', 'tennis'] }), true],
    [{ customer_interests: interests }, B, body({ customer_interests: 'rugby' }), true],
    [{ customer_interests: interests }, A, attributes({ customer_interests: 'baseball' }), false],
    [{ customer_interests: interests }, A, attributes({ customer_interests: ['baseball'] }), false],
    [{ customer_interests: interests }, B, body({ customer_interests: 'baseball' }), false],
    // anything-but matching: an array matches when one of its elements is not excluded
    [
      { customer_interests: [{ 'anything-but': interests }] },
      A,
      attributes({ customer_interests: 'baseball' }),
      true,
    ],
    [
      { customer_interests: [{ 'anything-but': interests }] },
      A,
      attributes({ customer_interests: 'football' }),
      true,
    ],
    [
      { customer_interests: [{ 'anything-but': interests }] },
      A,
      attributes({ customer_interests: ['rugby', 'baseball'] }),
      true,
    ],
    [
      { customer_interests: [{ 'anything-but': interests }] },
      B,
      body({ customer_interests: ['rugby', 'baseball'] }),
      true,
    ],
    [
      { customer_interests: [{ 'anything-but': interests }] },
      A,
      attributes({ customer_interests: 'rugby' }),
      false,
    ],
    [
      { customer_interests: [{ 'anything-but': interests }] },
      B,
      body({ customer_interests: 'rugby' }),
      false,
    ],
    // anything-but can be combined with "exists": false
    [
      { customer_interests: [{ 'anything-but': interests }, { exists: false }] },
      A,
      attributes({ store: 'x' }),
      true,
    ],
    [{ customer_interests: [{ 'anything-but': interests }] }, A, attributes({ store: 'x' }), false],
    // anything-but with a prefix, and with a suffix
    [{ event: [{ 'anything-but': { prefix: 'order-' } }] }, A, attributes({ event: 'data-entry' }), true],
    [{ event: [{ 'anything-but': { prefix: 'order-' } }] }, A, attributes({ event: 'order_number' }), true],
    [
      { event: [{ 'anything-but': { prefix: 'order-' } }] },
      A,
      attributes({ event: 'order-cancelled' }),
      false,
    ],
    [
      { event: [{ 'anything-but': { suffix: '-cancelled' } }] },
      A,
      attributes({ event: 'order-placed' }),
      true,
    ],
    [
      { event: [{ 'anything-but': { suffix: '-cancelled' } }] },
      A,
      attributes({ event: 'order-cancelled' }),
      false,
    ],
    // equals-ignore-case
    [
      { customer_interests: [{ 'equals-ignore-case': 'tennis' }] },
      A,
      attributes({ customer_interests: 'TENNIS' }),
      true,
    ],
    [
      { customer_interests: [{ 'equals-ignore-case': 'tennis' }] },
      B,
      body({ customer_interests: 'Tennis' }),
      true,
    ],
    [
      { customer_interests: [{ 'equals-ignore-case': 'tennis' }] },
      A,
      attributes({ customer_interests: 'rugby' }),
      false,
    ],
    // IP address matching
    [{ source_ip: [{ cidr: '10.0.0.0/24' }] }, A, attributes({ source_ip: '10.0.0.0' }), true],
    [{ source_ip: [{ cidr: '10.0.0.0/24' }] }, A, attributes({ source_ip: '10.0.0.255' }), true],
    [{ source_ip: [{ cidr: '10.0.0.0/24' }] }, A, attributes({ source_ip: '10.1.1.0' }), false],
    [{ source_ip: [{ cidr: '2001:db8::/32' }] }, B, body({ source_ip: '2001:db8:1::1' }), true],
    [{ source_ip: [{ cidr: '2001:db8::/32' }] }, B, body({ source_ip: '2001:db9::1' }), false],
    // prefix and suffix matching
    [{ customer_interests: [{ prefix: 'bas' }] }, A, attributes({ customer_interests: 'baseball' }), true],
    [{ customer_interests: [{ prefix: 'bas' }] }, A, attributes({ customer_interests: 'basketball' }), true],
    [{ customer_interests: [{ prefix: 'bas' }] }, A, attributes({ customer_interests: 'rugby' }), false],
    [{ customer_interests: [{ suffix: 'ball' }] }, A, attributes({ customer_interests: 'baseball' }), true],
    [{ customer_interests: [{ suffix: 'ball' }] }, B, body({ customer_interests: 'basketball' }), true],
    [{ customer_interests: [{ suffix: 'ball' }] }, A, attributes({ customer_interests: 'rugby' }), false],
  ]);
});

describe('AWS docs: numeric value matching', () => {
  const exact = { price_usd: [{ numeric: ['=', 301.5] }] };
  const anythingBut = { price: [{ 'anything-but': [100, 500] }] };
  check([
    [exact, A, attributes({ price_usd: 301.5 }), true],
    [exact, A, { attributes: { price_usd: { DataType: 'Number', StringValue: '3.015e2' } } }, true],
    [exact, B, body({ price_usd: 301.5 }), true],
    [exact, B, body(JSON.parse('{"price_usd": 3.015e2}')), true],
    [anythingBut, A, attributes({ price: 101 }), true],
    [anythingBut, A, attributes({ price: 100.1 }), true],
    [anythingBut, A, attributes({ price: [100, 50] }), true],
    [anythingBut, B, body({ price: [100, 50] }), true],
    [anythingBut, A, attributes({ price: 100 }), false],
    [anythingBut, B, body({ price: 100 }), false],
    [{ price_usd: [{ numeric: ['<', 0] }] }, A, attributes({ price_usd: -1 }), true],
    [{ price_usd: [{ numeric: ['<', 0] }] }, A, attributes({ price_usd: 0 }), false],
    [{ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, A, attributes({ price_usd: 150 }), true],
    [{ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, B, body({ price_usd: 0 }), false],
    [{ price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, B, body({ price_usd: 150.5 }), false],
  ]);
});

describe('AWS docs: key matching', () => {
  const message = { store: 'fans', customer_interests: ['baseball', 'basketball'] };
  const without = { customer_interests: ['baseball', 'basketball'] };
  check([
    [{ store: [{ exists: true }] }, A, attributes(message), true],
    [{ store: [{ exists: true }] }, B, body(message), true],
    [{ store: [{ exists: true }] }, A, attributes(without), false],
    [{ store: [{ exists: true }] }, B, body(without), false],
    [{ store: [{ exists: false }] }, A, attributes(message), false],
    [{ store: [{ exists: false }] }, B, body(message), false],
    [{ store: [{ exists: false }] }, A, attributes(without), true],
    [{ store: [{ exists: false }] }, B, body(without), true],
  ]);
});

describe('AWS docs: AND/OR logic and the $or operator', () => {
  const and = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
  const or = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
  };
  check([
    [and, A, attributes({ customer_interests: 'rugby', price_usd: 210.75 }), true],
    [and, A, attributes({ customer_interests: 'rugby', price_usd: 50 }), false],
    [and, A, attributes({ customer_interests: 'rugby' }), false],
    [
      { customer_interests: ['rugby', 'football', 'baseball'] },
      A,
      attributes({ customer_interests: 'football' }),
      true,
    ],
    [or, A, attributes({ source: 'aws.cloudwatch', metricName: 'CPUUtilization' }), true],
    [or, B, body({ source: 'aws.cloudwatch', namespace: 'AWS/EC2' }), true],
    [or, B, body({ source: 'aws.cloudwatch', namespace: 'AWS/ES' }), false],
    [or, A, attributes({ source: 'aws.events', metricName: 'CPUUtilization' }), false],
  ]);
});

// the examples of LocalStack's suite that it validated against AWS (test_sns_filter_policy.py)
describe('AWS-validated: payload-based filtering', () => {
  const s3 = (eventName: string, key: unknown) => ({
    Records: [{ eventSource: 'aws:s3', eventName, s3: { object: key } }],
  });
  const records = {
    Records: { s3: { object: { key: [{ prefix: 'auto-' }] } }, eventName: [{ prefix: 'ObjectCreated:' }] },
  };
  const nested = {
    object: { key: [{ prefix: 'auto-' }, 'hardcodedvalue'], nested_key: [{ exists: false }] },
    test: [{ exists: false }],
  };
  const or = {
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    detail: {
      scope: ['Service'],
      $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
    },
  };
  check([
    [records, B, body(s3('ObjectCreated:Put', { key: 'auto-insurance-2314.xml', size: 17 })), true],
    [records, B, body(s3('ObjectRemoved:Delete', { key: 'auto-insurance-2314.xml', size: 17 })), false],
    [records, B, body(s3('ObjectCreated:Put', { key: 'home-insurance-2314.xml', size: 17 })), false],
    [
      records,
      B,
      body({
        Records: [
          {
            eventName: 'ObjectCreated:Put',
            s3: { object: [[{ key: 'auto-insurance-2314.xml', size: 17 }]] },
          },
          { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'home-insurance-2314.xml', size: 17 } } },
        ],
      }),
      true,
    ],
    [nested, B, body({ object: { key: 'auto-test' } }), true],
    [nested, B, body({ object: { key: 'hardcodedvalue' } }), true],
    [nested, B, body({ object: { key: 'test-auto' } }), false],
    [nested, B, body({ object: { key: 'auto-test' }, test: 'just-exists' }), false],
    [nested, B, body({ object: { key: 'auto-test', nested_key: 'just-exists' } }), false],
    [nested, B, body({ object: { test: 'auto-test' } }), false],
    [nested, B, body({ test: 'auto-test' }), false],
    [nested, B, body(undefined), false],
    [nested, B, body('Regular string message'), false],
    [{ 'object.nested': ['string.value'] }, B, body({ object: { nested: 'string.value' } }), true],
    [{ 'object.nested': ['string.value'] }, B, body({ 'object.nested': 'string.value' }), true],
    [{ 'object.nested': ['string.value'] }, B, body({ object: { nested: 'test-auto' } }), false],
    [
      { 'object.nested.test': ['string.value'] },
      B,
      body({ 'object.nested': { test: 'string.value' } }),
      true,
    ],
    [
      { 'object.nested.test': ['string.value'] },
      B,
      body({ object: { 'nested.test': 'string.value' } }),
      true,
    ],
    [{ headers: { 'route-to': ['queue1'] } }, B, body({ headers: { 'route-to': ['queue3'] } }), false],
    [
      { headers: { 'route-to': ['queue1'] } },
      B,
      body({ headers: { 'route-to': ['queue1', 'queue2'] } }),
      true,
    ],
    [
      or,
      B,
      body({
        metricName: 'CPUUtilization',
        detail: { scope: 'aws.cloudwatch', type: 'CloudWatch Alarm State Change' },
      }),
      false,
    ],
    [
      or,
      B,
      body({ metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CPUUtilization' } }),
      false,
    ],
    [or, B, body({ metricName: 'CPUUtilization', detail: { type: 'CloudWatch Alarm State Change' } }), false],
    [or, B, body({ metricName: 'CPUUtilization', detail: { scope: 'Service' } }), false],
    [or, B, body({ metricName: 'CPUUtilization', scope: 'Service' }), false],
    [
      or,
      B,
      body({ metricName: 'CPUUtilization', detail: { scope: 'Service', source: 'aws.cloudwatch' } }),
      true,
    ],
    [or, B, body({ namespace: 'AWS/ES', detail: { scope: 'Service', source: 'aws.cloudwatch' } }), true],
    [
      or,
      B,
      body({ metricName: 'AWS/EC2', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }),
      false,
    ],
    [
      or,
      B,
      body({
        namespace: 'CPUUtilization',
        detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' },
      }),
      false,
    ],
  ]);
});

describe('AWS-validated: attribute filtering', () => {
  const range = { attr1: [{ numeric: ['>', 0, '<=', 100] }] };
  check([
    [range, A, attributes({ attr1: 99 }), true],
    [range, A, attributes({ attr1: 111 }), false],
    [{ attr1: [null, { 'anything-but': 'whatever' }] }, A, {}, false],
    [{ store: [{ exists: true }] }, A, attributes({ store: 99, def: 99 }), true],
    [{ store: [{ exists: true }] }, A, attributes({ attr1: 111 }), false],
    [{ store: [{ exists: false }] }, A, attributes({ def: 99 }), true],
    [{ store: [{ exists: false }] }, A, attributes({ store: 99, def: 99 }), false],
    [{ store: ['value1'] }, A, attributes({ store: 'value1' }), true],
    [{ store: ['value1'] }, A, attributes({ store: ['value1', 'value2'] }), true],
    [{ store: ['value1'] }, A, attributes({ store: ['value2', 'value3'] }), false],
  ]);
});

// event-ruler's typed matching, which SNS filters with
describe('types, precision and arrays', () => {
  const binary = { attributes: { file: { DataType: 'Binary', BinaryValue: Uint8Array.of(1, 2) } } };
  const custom = { attributes: { size: { DataType: 'Number.float', StringValue: '12.5' } } };
  check([
    // a numeric condition only matches a Number, never a String holding digits
    [{ price: [{ numeric: ['=', 5] }] }, A, attributes({ price: '5' }), false],
    [{ price: [5] }, A, attributes({ price: 5 }), true],
    [{ price: [5] }, A, attributes({ price: '5' }), false],
    [{ price: ['5'] }, A, attributes({ price: 5 }), false],
    [{ size: [{ numeric: ['>', 12] }] }, A, custom, true],
    [{ flag: [true] }, B, body({ flag: true }), true],
    [{ flag: [true] }, B, body({ flag: 'true' }), false],
    [{ flag: [null] }, B, body({ flag: null }), true],
    [{ flag: [null] }, B, body({}), false],
    [{ items: [1] }, A, attributes({ items: [1, 'a', true] }), true],
    // comparisons keep six decimals, truncating the rest
    [{ n: [{ numeric: ['=', 1] }] }, B, body({ n: 1.0000001 }), true],
    [{ n: [{ numeric: ['=', 1] }] }, B, body({ n: 1.000001 }), false],
    // outside -5e9..5e9 a number is never numeric
    [{ n: [{ numeric: ['>', 0] }] }, B, body({ n: 6e9 }), false],
    [{ n: [{ 'anything-but': [1] }] }, B, body({ n: 'one' }), true],
    [{ file: [{ exists: true }] }, A, binary, false],
    [{ file: [{ exists: false }] }, A, binary, true],
    // an exact IP address matches the same address however it is written
    [{ ip: ['2001:db8::1'] }, B, body({ ip: '2001:0db8:0:0:0:0:0:1' }), true],
    // a CIDR block starts at its address as written: host bits are not cleared
    [{ ip: [{ cidr: '10.0.0.5/24' }] }, B, body({ ip: '10.0.0.4' }), false],
    // fields must match within one element of an array they share
    [
      { r: { a: [1], b: [4] } },
      B,
      body({
        r: [
          { a: 1, b: 2 },
          { a: 3, b: 4 },
        ],
      }),
      false,
    ],
    [
      { r: { a: [3], b: [4] } },
      B,
      body({
        r: [
          { a: 1, b: 2 },
          { a: 3, b: 4 },
        ],
      }),
      true,
    ],
    [{ r: { a: [1] }, top: ['x'] }, B, body({ r: [{ a: 1 }], top: 'x' }), true],
    // a path to an object or an empty array holds no value
    [{ object: [{ exists: true }] }, B, body({ object: { key: 'x' } }), false],
    [{ list: [{ exists: false }] }, B, body({ list: [] }), true],
    // "$or" that is no OR relationship is a field named "$or"
    [{ $or: [{ prefix: 'ab' }, { suffix: 'yz' }] }, B, body({ $or: 'xyz' }), true],
  ]);

  it('judges one message against several policies independently', () => {
    const message = body({ a: 'x' });
    const first = parseFilterPolicy('{"a":["x"]}', B);
    const second = parseFilterPolicy('{"a":[{"prefix":"y"}]}', B);
    expect([matchesFilterPolicy(first, message), matchesFilterPolicy(second, message)]).toEqual([
      true,
      false,
    ]);
  });
});

describe('message bodies SNS cannot read', () => {
  it('matches nothing in a body nested deeper than 1000 levels, without overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = { n: deep };
    const policy = parseFilterPolicy('{"other":[{"exists":false}]}', 'MessageBody');
    expect(matchesFilterPolicy(policy, body({ deep }))).toBe(false);
    expect(matchesFilterPolicy(policy, body({ shallow: { n: 'x' } }))).toBe(true);
  });
});
