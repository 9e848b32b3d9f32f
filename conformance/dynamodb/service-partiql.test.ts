/**
 * PartiQL through ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: the
 * statements DynamoDB's developer guide shows, on a table and its indexes, with the messages
 * DynamoDB answers the statements it refuses.
 */
import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectError, expectValidation, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const MUSIC = uniqueName('music');

const exec = (Statement: string, extra: Partial<ExecuteStatementCommandInput> = {}) =>
  t.ddb.send(new ExecuteStatementCommand({ Statement, ...extra }));
const get = async (artist: string, song: string) =>
  (
    await t.ddb.send(
      new GetItemCommand({ TableName: MUSIC, Key: { artist: { S: artist }, song: { S: song } } }),
    )
  ).Item;

beforeAll(async () => {
  await createTable(t.ddb, {
    name: MUSIC,
    attributes: { artist: 'S', song: 'S', genre: 'S' },
    key: ['artist', 'song'],
    gsis: [{ name: 'by-genre', key: ['genre'] }],
  });
  for (const [artist, song, genre, year] of [
    ['Acme', 'Alpha', 'rock', '1999'],
    ['Acme', 'Beta', 'pop', '2004'],
    ['Acme', 'Gamma', 'rock', '2010'],
    ['Bolt', 'Delta', 'jazz', '1987'],
  ] as const) {
    await t.ddb.send(
      new PutItemCommand({
        TableName: MUSIC,
        Item: { artist: { S: artist }, song: { S: song }, genre: { S: genre }, year: { N: year } },
      }),
    );
  }
});

describe('ExecuteStatement', () => {
  it('selects a partition in sort order, filtered, descending with ORDER BY', async () => {
    const out = await exec(
      `SELECT song, "year" FROM "${MUSIC}" WHERE artist = ? AND "year" > 2000 ORDER BY song DESC`,
      {
        Parameters: [{ S: 'Acme' }],
      },
    );
    expect(out.Items).toEqual([
      { song: { S: 'Gamma' }, year: { N: '2010' } },
      { song: { S: 'Beta' }, year: { N: '2004' } },
    ]);
  });

  it('selects through an index, with begins_with on the sort key and a scan without a key', async () => {
    const rock = await exec(`SELECT * FROM "${MUSIC}"."by-genre" WHERE genre = 'rock'`);
    expect(rock.Items?.map((i) => i.song?.S).sort()).toEqual(['Alpha', 'Gamma']);
    const prefixed = await exec(
      `SELECT song FROM "${MUSIC}" WHERE artist = 'Acme' AND begins_with(song, 'Al')`,
    );
    expect(prefixed.Items).toEqual([{ song: { S: 'Alpha' } }]);
    const scanned = await exec(`SELECT artist FROM "${MUSIC}" WHERE genre IN ['jazz', 'pop']`);
    expect(scanned.Items?.map((i) => i.artist?.S).sort()).toEqual(['Acme', 'Bolt']);
  });

  it('pages with Limit and NextToken', async () => {
    const first = await exec(`SELECT * FROM "${MUSIC}" WHERE artist = 'Acme'`, { Limit: 2 });
    expect(first.Items).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const rest = await exec(`SELECT * FROM "${MUSIC}" WHERE artist = 'Acme'`, {
      Limit: 2,
      NextToken: first.NextToken,
    });
    expect(rest.Items?.map((i) => i.song?.S)).toEqual(['Gamma']);
  });

  it('inserts, refuses to insert the same key twice, updates and deletes', async () => {
    await exec(
      `INSERT INTO "${MUSIC}" VALUE {'artist': 'Cole', 'song': 'Echo', 'tags': <<'a', 'b'>>, 'n': 1}`,
    );
    expect((await get('Cole', 'Echo'))?.tags).toEqual({ SS: ['a', 'b'] });
    await expectError(
      exec(`INSERT INTO "${MUSIC}" VALUE {'artist': 'Cole', 'song': 'Echo'}`),
      'DuplicateItemException',
      'Duplicate primary key exists in table',
    );
    const updated = await exec(
      `UPDATE "${MUSIC}" SET n = n + 1 SET tags = set_add(tags, <<'c'>>) REMOVE genre WHERE artist = 'Cole' AND song = 'Echo' RETURNING ALL NEW *`,
    );
    expect(updated.Items?.[0]?.n).toEqual({ N: '2' });
    expect(updated.Items?.[0]?.tags?.SS?.sort()).toEqual(['a', 'b', 'c']);
    const deleted = await exec(
      `DELETE FROM "${MUSIC}" WHERE artist = 'Cole' AND song = 'Echo' RETURNING ALL OLD *`,
    );
    expect(deleted.Items?.[0]?.n).toEqual({ N: '2' });
    expect(await get('Cole', 'Echo')).toBeUndefined();
  });

  it('updates only an item that exists and meets the WHERE clause', async () => {
    await expectError(
      exec(`UPDATE "${MUSIC}" SET n = 1 WHERE artist = 'Nobody' AND song = 'None'`),
      'ConditionalCheckFailedException',
    );
    await expectError(
      exec(`UPDATE "${MUSIC}" SET n = 1 WHERE artist = 'Acme' AND song = 'Alpha' AND genre = 'pop'`),
      'ConditionalCheckFailedException',
    );
    expect(await get('Nobody', 'None')).toBeUndefined();
  });

  it('refuses what DynamoDB refuses, with its messages', async () => {
    await expectValidation(
      exec(`SELECTT * FROMM "${MUSIC}"`),
      /^Statement wasn't well formed, can't be processed/,
    );
    await expectValidation(
      exec(`UPDATE "${MUSIC}" SET n = 1 WHERE artist = 'Acme'`),
      'Where clause does not contain a mandatory equality on all key attributes',
    );
    await expectValidation(
      exec(`DELETE FROM "${MUSIC}" WHERE artist = 'x' AND song = 'y' RETURNING ALL NEW *`),
      'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    );
    await expectValidation(
      exec(`SELECT * FROM "${MUSIC}"."no-such-index" WHERE artist = 'x'`),
      'The table does not have the specified index',
    );
    await expectValidation(
      exec(`SELECT * FROM "${MUSIC}"."by-genre" WHERE genre = 'x'`, { ConsistentRead: true }),
      'Strongly consistent read is not supported on Global Secondary Indexes',
    );
    await expectValidation(
      exec(`SELECT * FROM "${MUSIC}"."a"."b"`),
      'A path may contain at most 2 components in the FROM clause',
    );
    await expectValidation(
      exec(`SELECT * FROM "" WHERE pk = 'p'`),
      'Path component cannot be an empty string',
    );
    await expectValidation(
      exec(`SELECT * FROM "${MUSIC}" WHERE artist = ?`),
      "Number of parameters in request and statement don't match.",
    );
    await expectError(exec(`SELECT * FROM "no-such-table" WHERE pk = 'p'`), 'ResourceNotFoundException');
  });
});

describe('BatchExecuteStatement', () => {
  it('reads by key and answers a failed write in its response, not as an error', async () => {
    const reads = await t.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT song FROM "${MUSIC}" WHERE artist = 'Acme' AND song = 'Beta'` },
          { Statement: `SELECT * FROM "${MUSIC}" WHERE artist = 'Acme' AND song = 'Missing'` },
        ],
      }),
    );
    expect(reads.Responses).toEqual([
      { TableName: MUSIC, Item: { song: { S: 'Beta' } } },
      { TableName: MUSIC },
    ]);
    const writes = await t.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "${MUSIC}" VALUE {'artist': 'Dune', 'song': 'One'}` },
          { Statement: `INSERT INTO "${MUSIC}" VALUE {'artist': 'Acme', 'song': 'Alpha'}` },
        ],
      }),
    );
    expect(writes.Responses?.[0]).toEqual({ TableName: MUSIC });
    expect(writes.Responses?.[1]?.Error).toEqual({
      Code: 'DuplicateItem',
      Message: 'Duplicate primary key exists in table',
    });
    expect(await get('Dune', 'One')).toBeDefined();
  });
});

describe('ExecuteTransaction', () => {
  it('writes all or nothing, naming a duplicate insert in the reasons', async () => {
    const error = await expectError(
      t.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO "${MUSIC}" VALUE {'artist': 'Echo', 'song': 'Two'}` },
            { Statement: `INSERT INTO "${MUSIC}" VALUE {'artist': 'Acme', 'song': 'Alpha'}` },
          ],
        }),
      ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
    ]);
    expect(await get('Echo', 'Two')).toBeUndefined();
    await t.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "${MUSIC}" VALUE {'artist': 'Echo', 'song': 'Two'}` },
          { Statement: `EXISTS(SELECT * FROM "${MUSIC}" WHERE artist = 'Acme' AND song = 'Alpha')` },
        ],
      }),
    );
    expect(await get('Echo', 'Two')).toBeDefined();
  });

  it('reads items by key in order', async () => {
    const out = await t.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT * FROM "${MUSIC}" WHERE artist = 'Bolt' AND song = 'Delta'` },
          { Statement: `SELECT * FROM "${MUSIC}" WHERE artist = 'Bolt' AND song = 'Nope'` },
        ],
      }),
    );
    expect(out.Responses?.[0]?.Item?.genre).toEqual({ S: 'jazz' });
    expect(out.Responses?.[1]).toEqual({});
  });

  it('refuses RETURNING and index reads', async () => {
    await expectValidation(
      t.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            {
              Statement: `UPDATE "${MUSIC}" SET n = 1 WHERE artist = 'Acme' AND song = 'Alpha' RETURNING ALL NEW *`,
            },
          ],
        }),
      ),
      'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
    );
    await expectValidation(
      t.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `SELECT * FROM "${MUSIC}"."by-genre" WHERE genre = 'rock'` }],
        }),
      ),
      'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.',
    );
  });
});
