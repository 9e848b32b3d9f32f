/**
 * Validation of keys and values: key schema and key types, empty strings and sets, duplicate
 * set members, number precision, range and normalisation, and the 400 KB item size limit
 * as DynamoDB computes it (attribute name bytes + value bytes, UTF-8).
 */
import { type AttributeValue, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, enveloped, expectValidation, startsWith, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const HASH = uniqueName('hash');
const RANGE = uniqueName('range');
const NUMERIC = uniqueName('numeric');
type Item = Record<string, AttributeValue>;

beforeAll(async () => {
  await createTable(t.ddb, { name: HASH, attributes: { id: 'S' }, key: ['id'] });
  await createTable(t.ddb, { name: RANGE, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
  await createTable(t.ddb, { name: NUMERIC, attributes: { n: 'N' }, key: ['n'] });
});

const putIn = (TableName: string, Item: Item) => t.ddb.send(new PutItemCommand({ TableName, Item }));
const getFrom = async (TableName: string, Key: Item) =>
  (await t.ddb.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;

describe('keys', () => {
  it('rejects a GetItem key that does not match the schema', async () => {
    const message = 'The provided key element does not match the schema';
    await expectValidation(getFrom(HASH, { other: { S: 'x' } }), message);
    await expectValidation(getFrom(HASH, { id: { N: '1' } }), message);
    await expectValidation(getFrom(HASH, { id: { S: 'x' }, extra: { S: 'y' } }), message);
    await expectValidation(getFrom(RANGE, { pk: { S: 'x' } }), message);
  });

  it('rejects an item without its key attributes', async () => {
    await expectValidation(
      putIn(HASH, { other: { S: 'x' } }),
      enveloped('One or more parameter values were invalid: Missing the key id in the item'),
    );
    await expectValidation(
      putIn(RANGE, { pk: { S: 'x' } }),
      enveloped('One or more parameter values were invalid: Missing the key sk in the item'),
    );
  });

  it('rejects a key attribute of the wrong type', async () => {
    await expectValidation(
      putIn(HASH, { id: { N: '1' } }),
      enveloped('One or more parameter values were invalid: Type mismatch for key id expected: S actual: N'),
    );
    await expectValidation(
      putIn(RANGE, { pk: { S: 'x' }, sk: { S: 'not a number' } }),
      enveloped('One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S'),
    );
  });

  it('rejects an empty string as a key value', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: '' } }),
      enveloped(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
      ),
    );
  });

  it('rejects a partition key over 2048 bytes', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'k'.repeat(2049) } }),
      enveloped(
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      ),
    );
    await putIn(HASH, { id: { S: 'k'.repeat(2048) } });
  });
});

describe('empty values and sets', () => {
  it('stores empty strings and empty binaries in non-key attributes', async () => {
    const item = {
      id: { S: 'empties' },
      s: { S: '' },
      b: { B: new Uint8Array() },
      m: { M: { e: { S: '' } } },
    };
    await putIn(HASH, item);
    expect(await getFrom(HASH, { id: { S: 'empties' } })).toEqual(item);
  });

  it('rejects empty sets', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, ss: { SS: [] } }),
      enveloped('One or more parameter values were invalid: An string set  may not be empty'),
    );
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, ns: { NS: [] } }),
      enveloped('One or more parameter values were invalid: An number set  may not be empty'),
    );
  });

  it('rejects duplicate members in a set', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, ss: { SS: ['a', 'a'] } }),
      enveloped('One or more parameter values were invalid: Input collection [a, a] contains duplicates.'),
    );
  });

  it('rejects NULL false', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, nul: { NULL: false } }),
      enveloped(
        'One or more parameter values were invalid: Null attribute value types must have the value of true',
      ),
    );
  });
});

describe('numbers', () => {
  const normalised: [string, string][] = [
    ['0000012345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['-00001.23456789012345678901234567890123456780000', '-1.2345678901234567890123456789012345678'],
    ['0009.99999999999999999999999999999999999990000e125', `${'9'.repeat(38)}${'0'.repeat(88)}`],
    ['0001.000e-130', `0.${'0'.repeat(129)}1`],
    ['1.50', '1.5'],
    ['1E2', '100'],
  ];

  it('stores 38 significant digits and returns numbers normalised', async () => {
    const item: Item = { id: { S: 'numbers' } };
    normalised.forEach(([input], i) => {
      item[`n${i}`] = { N: input };
    });
    await putIn(HASH, item);
    const back = await getFrom(HASH, { id: { S: 'numbers' } });
    normalised.forEach(([input, output], i) => {
      expect({ input, stored: back?.[`n${i}`]?.N }).toEqual({ input, stored: output });
    });
  });

  it('treats numerically equal key numbers as the same key', async () => {
    await putIn(NUMERIC, { n: { N: '1.50' }, v: { S: 'first' } });
    await putIn(NUMERIC, { n: { N: '15e-1' }, v: { S: 'second' } });
    expect(await getFrom(NUMERIC, { n: { N: '1.5' } })).toEqual({ n: { N: '1.5' }, v: { S: 'second' } });
  });

  it('rejects more than 38 significant digits', async () => {
    for (const N of [
      '123456789012345678901234567890123456789',
      '-1.23456789012345678901234567890123456789',
    ]) {
      await expectValidation(
        putIn(HASH, { id: { S: 'x' }, n: { N } }),
        enveloped('Attempting to store more than 38 significant digits in a Number'),
      );
    }
  });

  it('rejects magnitudes outside 1E-130 to 9.99E125', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, n: { N: '1e126' } }),
      enveloped('Number overflow. Attempting to store a number with magnitude larger than supported range'),
    );
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, n: { N: '-1e-131' } }),
      enveloped('Number underflow. Attempting to store a number with magnitude smaller than supported range'),
    );
  });

  it('rejects a string that is not a number', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'x' }, n: { N: 'twelve' } }),
      startsWith('The parameter cannot be converted to a numeric value', true),
    );
  });
});

describe('item size', () => {
  const LIMIT = 400 * 1024;

  it('accepts an item of exactly 400 KB counted as name bytes plus value bytes', async () => {
    // "id" (2) + "k1" (2) + "b" (1) + the rest
    const item = { id: { S: 'k1' }, b: { S: 'a'.repeat(LIMIT - 5) } };
    await putIn(HASH, item);
    expect((await getFrom(HASH, { id: { S: 'k1' } }))?.b.S?.length).toBe(LIMIT - 5);
  });

  it('rejects an item one byte over 400 KB', async () => {
    await expectValidation(
      putIn(HASH, { id: { S: 'k2' }, b: { S: 'a'.repeat(LIMIT - 4) } }),
      enveloped('Item size has exceeded the maximum allowed size'),
    );
    expect(await getFrom(HASH, { id: { S: 'k2' } })).toBeUndefined();
  });

  it('counts UTF-8 bytes, not characters', async () => {
    // "é" is two bytes in UTF-8: (LIMIT - 4) / 2 of them make the item one byte too big
    await expectValidation(
      putIn(HASH, { id: { S: 'k3' }, b: { S: 'é'.repeat((LIMIT - 4) / 2) } }),
      enveloped('Item size has exceeded the maximum allowed size'),
    );
    await putIn(HASH, { id: { S: 'k3' }, b: { S: 'é'.repeat((LIMIT - 6) / 2) } });
  });
});
