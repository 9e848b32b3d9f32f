import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/errors.js';
import { type FilterPolicyScope, parseFilterPolicy } from '../../../src/services/sns/filter-policy/index.js';

const at = (line: number, column: number) =>
  `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;

function rejection(
  policy: unknown,
  scope: FilterPolicyScope = 'MessageAttributes',
  operation: 'Subscribe' | 'SetSubscriptionAttributes' = 'Subscribe',
): AwsError {
  const json = typeof policy === 'string' ? policy : JSON.stringify(policy);
  try {
    parseFilterPolicy(json, scope, { operation });
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error(`accepted ${json}`);
}

const SUBSCRIBE = 'Invalid parameter: Attributes Reason: FilterPolicy: ';

// Messages and columns AWS answered to Subscribe (recorded by LocalStack's AWS-validated suite,
// test_sns_filter_policy.snapshot.json, May 2024). AWS then still printed the policy as the
// location's source; its Jackson now redacts it (test_sns.snapshot.json, October 2025).
const recorded: [unknown, string, number][] = [
  [{ key: [['value']] }, 'Match value must be String, number, true, false, or null', 10],
  [{ key: [{ 'wrong-operator': true }] }, 'Unrecognized match type wrong-operator', 31],
  [{ key: [{ suffix: 'value', prefix: 'value2' }] }, 'Only one key allowed in match expression', 37],
  [{ key: [{ suffix: 100 }] }, 'suffix match pattern must be a string', 22],
  [{ key: [{ suffix: null }] }, 'suffix match pattern must be a string', 23],
  [{ key: { suffix: 'value' } }, '"suffix" must be an object or an array', 19],
  [{ key: [{ suffix: [] }] }, 'suffix match pattern must be a string', 20],
  [{ key: [{ suffix: ['test', 'test2'] }] }, 'suffix match pattern must be a string', 20],
  [{ key: { suffix: 'value', prefix: 'value' } }, '"suffix" must be an object or an array', 19],
  [{ key: { 'not-an-operator': 'value' } }, '"not-an-operator" must be an object or an array', 28],
  [{ key: [{ numeric: [] }] }, 'Invalid member in numeric match: ]', 22],
  [{ key: [{ numeric: ['operator'] }] }, 'Unrecognized numeric range operator: operator', 32],
  [{ key: [{ numeric: [1, '<='] }] }, 'Invalid member in numeric match: 1', 22],
  [{ key: [{ numeric: ['=', '000'] }] }, 'Value of equals must be numeric', 26],
  [{ key: [{ numeric: ['>='] }] }, 'Value of >= must be numeric', 26],
  [{ key: [{ numeric: ['<', 100, '>', 10] }] }, 'Too many elements in numeric expression', 30],
  [{ key: [{ numeric: ['>=', 1, '>', 2] }] }, 'Bad numeric range operator: >', 31],
  [{ key: [{ numeric: ['>', 3, '<', 1] }] }, 'Bottom must be less than top', 33],
  [{ key: [{ numeric: ['>', 20, '<='] }] }, 'Value of <= must be numeric', 33],
  [{ key: [{ numeric: ['>', 20, 30] }] }, 'Bad value in numeric range: 30', 30],
  [{ key: [{ numeric: ['>', 20, 'test'] }] }, 'Bad numeric range operator: test', 34],
  [{ key: [{ numeric: ['>', '20', '<', '30'] }] }, 'Value of > must be numeric', 26],
  [{ key: [{ numeric: ['>', 20, '<', '30'] }] }, 'Value of < must be numeric', 33],
  [{ key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, 'Too many terms in numeric range expression', 36],
  [{ key: [{ exists: null }] }, 'exists match pattern must be either true or false.', 23],
  [{ key: [{ exists: 'no' }] }, 'exists match pattern must be either true or false.', 20],
  [
    { key: [{ 'anything-but': { 'wrong-operator': null } }] },
    'Unsupported anything-but pattern: wrong-operator',
    47,
  ],
  [{ key: [{ 'anything-but': { exists: false } }] }, 'Unsupported anything-but pattern: exists', 40],
];

describe('filter policy validation: messages AWS recorded', () => {
  it.each(recorded)('%j: %s', (policy, message, column) => {
    const error = rejection(policy);
    expect(error.code).toBe('InvalidParameter');
    expect(error.status).toBe(400);
    expect(error.message).toBe(`${SUBSCRIBE}${message}${at(1, column)}`);
  });

  it('words SetSubscriptionAttributes errors without "Attributes Reason"', () => {
    expect(rejection({ key_a: 'value_one' }, 'MessageBody', 'SetSubscriptionAttributes').message).toBe(
      `Invalid parameter: FilterPolicy: "key_a" must be an object or an array${at(1, 11)}`,
    );
  });

  it('prefixes a JSON syntax error with "failed to parse JSON." (AWS, October 2025)', () => {
    expect(rejection('{invalidjson}', 'MessageAttributes', 'SetSubscriptionAttributes').message).toBe(
      "Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105)): " +
        `was expecting double-quote to start field name${at(1, 2)}`,
    );
  });

  it('refuses more than five keys, counting only keys that hold values', () => {
    const six = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`key${i}`, [`value${i}`]]));
    expect(rejection(six).message).toBe(`${SUBSCRIBE}Filter policy can not have more than 5 keys`);
    const nested = { state: ['SUCCESS'], finding: { a: ['x'], b: ['y'], c: ['z'], d: ['w'] } };
    expect(() => parseFilterPolicy(JSON.stringify(nested), 'MessageBody')).not.toThrow();
  });

  it('refuses more than 150 combinations of values (AWS-validated cases)', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `value${i}`);
    expect(rejection({ key: values(151) }).message).toBe(`${SUBSCRIBE}Filter policy is too complex`);
    expect(rejection({ key1: values(100), key2: values(51) }).message).toBe(
      `${SUBSCRIBE}Filter policy is too complex`,
    );
    expect(() => parseFilterPolicy(JSON.stringify({ key: values(150) }), 'MessageAttributes')).not.toThrow();
  });

  it('sums "$or" branches: 152 is refused, 150 accepted (AWS-validated)', () => {
    const policy = (ids: number[]) => ({
      source: ['aws.cloudwatch', 'aws.events', 'aws.test'].concat(ids.length === 4 ? ['aws.test2'] : []),
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency', 't1', 't2', 't3', 't4'] },
        {
          metricType: ['MetricType', 'TestType', 'TestType2', 'TestType3'],
          $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: ids }],
        },
      ],
    });
    // (4 x 6) + (4 x 4 x 4) + (4 x 4 x 4) = 152
    expect(rejection(policy([1, 2, 3, 4])).message).toBe(`${SUBSCRIBE}Filter policy is too complex`);
    // (3 x 6) + (3 x 4 x 4) + (3 x 4 x 7) = 150
    expect(() =>
      parseFilterPolicy(JSON.stringify(policy([1, 2, 3, 4, 5, 6, 7])), 'MessageAttributes'),
    ).not.toThrow();
  });

  it('multiplies a nested key by its depth, as AWS documents (216 and 160 refused by AWS)', () => {
    const nested = {
      key_a: { key_b: { key_c: ['value_one', 'value_two', 'value_three', 'value_four'] } },
      key_d: { key_e: ['value_one', 'value_two', 'value_three'] },
      key_f: ['value_one', 'value_two', 'value_three'],
    };
    expect(rejection(nested, 'MessageBody', 'SetSubscriptionAttributes').message).toBe(
      'Invalid parameter: FilterPolicy: Filter policy is too complex',
    );
    const withOr = {
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency', 'TestValue'] },
        { namespace: ['AWS/EC2', 'AWS/ES'] },
      ],
      detail: {
        scope: ['Service', 'Test'],
        $or: [
          { source: ['aws.cloudwatch'] },
          { type: ['CloudWatch Alarm State Change', 'TestValue', 'TestValue2'] },
        ],
      },
    };
    expect(rejection(withOr, 'MessageBody').message).toBe(`${SUBSCRIBE}Filter policy is too complex`);
    // 3 x 4 x 2 x 3 = 72: the documented example is accepted
    const documented = {
      key_a: { key_b: { key_c: ['1', '2', '3', '4'] } },
      key_d: { key_e: ['1', '2', '3'] },
    };
    expect(() => parseFilterPolicy(JSON.stringify(documented), 'MessageBody')).not.toThrow();
  });

  it('refuses a nested policy for scope MessageAttributes (AWS-recorded message)', () => {
    const nested = { object: { key: [{ prefix: 'auto-' }] } };
    expect(rejection(nested, 'MessageAttributes', 'SetSubscriptionAttributes').message).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(() => parseFilterPolicy(JSON.stringify(nested), 'MessageBody')).not.toThrow();
  });

  it('refuses a policy over 256 KB', () => {
    const big = JSON.stringify({ key: ['x'.repeat(256 * 1024)] });
    expect(rejection(big).message).toBe(`${SUBSCRIBE}Filter policy is too long`);
  });
});

// event-ruler's own messages (JsonRuleCompiler, RuleCompiler, CIDR, ComparableNumber) at the
// position its Jackson parser has reached, for cases LocalStack's recordings do not cover
const eventRuler: [unknown, string][] = [
  ['[1]', `Filter is not an object${at(1, 2)}`],
  ['{}', `Empty objects are not allowed${at(1, 3)}`],
  [{ a: {} }, `Empty objects are not allowed${at(1, 8)}`],
  [{ a: [] }, `Empty arrays are not allowed${at(1, 8)}`],
  [{ a: [{}] }, `Match expression name not found${at(1, 9)}`],
  [{ a: [{ wildcard: 'x*' }] }, `Unrecognized match type wildcard${at(1, 20)}`],
  [{ a: [{ numeric: 5 }] }, `Value of numeric must be an array.${at(1, 19)}`],
  [{ a: [{ numeric: ['<', 6e9] }] }, `Value must be between -5.0E9 and 5.0E9, inclusive${at(1, 34)}`],
  [
    { a: [{ 'anything-but': true }] },
    `Value of anything-but must be an array or single string/number value.${at(1, 27)}`,
  ],
  [
    { a: [{ 'anything-but': [1, 'x'] }] },
    `Inside anything but list, either all values are number or string, mixed type is not supported${at(1, 30)}`,
  ],
  [
    { a: [{ 'anything-but': [null] }] },
    `Inside anything but list, start|null|boolean is not supported.${at(1, 28)}`,
  ],
  [{ a: [{ 'anything-but': { prefix: '' } }] }, `Null prefix/suffix not allowed${at(1, 35)}`],
  [
    { a: [{ 'anything-but': { prefix: false } }] },
    `prefix/suffix match pattern must be a string${at(1, 38)}`,
  ],
  [{ a: [{ 'anything-but': 6e9 }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  [{ a: [{ cidr: 10 }] }, `prefix match pattern must be a string${at(1, 17)}`],
  [{ a: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
  [{ a: [{ cidr: '10.0.0.0/x' }] }, 'Malformed CIDR, mask bits must be an integer'],
  [{ a: [{ cidr: '10.0.0.0/-1' }] }, 'Malformed CIDR, mask bits must not be negative'],
  [{ a: [{ cidr: '10.0.0.0/32' }] }, 'IPv4 mask bits must be < 32'],
  [{ a: [{ cidr: '::/128' }] }, 'IPv6 mask bits must be < 128'],
  [{ a: [{ cidr: 'example.com/8' }] }, 'Nonstandard IP address: example.com'],
  [{ a: [{ cidr: '300.0.0.0/8' }] }, 'Invalid IP address: 300.0.0.0'],
  [{ a: [{ exists: true, prefix: 'x' }] }, `Only one key allowed in match expression${at(1, 32)}`],
  [{ $or: [{ a: ['x'] }, 'b'] }, `Unrecognized match type a${at(1, 15)}`],
  [{ $or: 'x' }, `"$or" must be an object or an array${at(1, 9)}`],
];

describe('filter policy validation: event-ruler messages', () => {
  it.each(eventRuler)('%j: %s', (policy, message) => {
    expect(rejection(policy, 'MessageBody').message).toBe(`${SUBSCRIBE}${message}`);
  });

  it('falls back to "$or" as a plain field name when it is not a valid OR, as SNS documents', () => {
    const plain = { $or: [{ prefix: 'abc' }, { suffix: 'xyz' }] };
    expect(() => parseFilterPolicy(JSON.stringify(plain), 'MessageBody')).not.toThrow();
    expect(() => parseFilterPolicy(JSON.stringify({ $or: { a: ['x'] } }), 'MessageBody')).not.toThrow();
    // a one-object "$or" is no OR: as a field, its object is a match expression named "a"
    expect(rejection({ $or: [{ a: ['x'] }] }, 'MessageBody').message).toBe(
      `${SUBSCRIBE}Unrecognized match type a${at(1, 15)}`,
    );
  });

  it('reads only the first JSON value, as Jackson does', () => {
    expect(() => parseFilterPolicy('{"a":["x"]} trailing', 'MessageAttributes')).not.toThrow();
  });
});
