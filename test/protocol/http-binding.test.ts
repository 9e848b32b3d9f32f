/**
 * The REST binding on a small model made for it: the traits and template forms the real
 * models (Lambda, S3) use rarely or not at all, in both directions.
 */
import { describe, expect, test } from 'vitest';
import { splitHeaderList } from '../../src/protocol/http-binding.js';
import type { MemberDef, ServiceModel, ShapeDef } from '../../src/protocol/model.js';
import { restJsonCodec } from '../../src/protocol/rest-json.js';
import type { WireRequest } from '../../src/protocol/wire.js';

const http = (method: string, uri: string, code = 200) => ({ method, uri, code });
const structure = (members: Record<string, MemberDef>, required?: string[]): ShapeDef =>
  required ? { type: 'structure', members, required } : { type: 'structure', members };

/** Header lists, a media-typed header and prefix headers, read and written alike. */
const HEADERS_BOTH_WAYS: Record<string, MemberDef> = {
  Names: { target: 'list<string>', httpHeader: 'X-Names' },
  Dates: { target: 'list<timestamp>', httpHeader: 'X-Dates' },
  Json: { target: 'JsonText', httpHeader: 'X-Json' },
  Meta: { target: 'map<string>', httpPrefixHeaders: 'X-Meta-' },
};

const model: ServiceModel = {
  id: 'synthetic',
  sdkId: 'Synthetic',
  protocol: 'restJson1',
  namespace: 'com.example',
  signingName: 'synthetic',
  version: '2024-01-01',
  operations: {
    GetThing: { input: 'ThingInput', output: 'ThingOutput', http: http('GET', '/things/{Id}?x-id=GetThing') },
    GetThingPart: { input: 'PartInput', output: 'unit', http: http('GET', '/things/{Id}/parts/{Part}') },
    ListThings: { input: 'unit', output: 'unit', http: http('GET', '/things') },
    GetDeep: { input: 'DeepInput', output: 'unit', http: http('GET', '/deep/{Path+}/meta') },
    Search: { input: 'SearchInput', output: 'unit', http: http('GET', '/search') },
    Filter: { input: 'FilterInput', output: 'unit', http: http('GET', '/filter?mode=strict') },
    Headers: { input: 'HeadersInput', output: 'HeadersOutput', http: http('POST', '/headers', 201) },
    PutDoc: { input: 'DocInput', output: 'DocOutput', http: http('PUT', '/docs/{Name}') },
  },
  shapes: {
    string: { type: 'string' },
    number: { type: 'number' },
    boolean: { type: 'boolean' },
    timestamp: { type: 'timestamp' },
    unit: { type: 'structure', members: {} },
    'list<string>': { type: 'list', member: { target: 'string' } },
    'list<timestamp>': { type: 'list', member: { target: 'timestamp' } },
    'map<string>': { type: 'map', key: { target: 'string' }, value: { target: 'string' } },
    'map<list<string>>': { type: 'map', key: { target: 'string' }, value: { target: 'list<string>' } },
    JsonText: { type: 'string', traits: { mediaType: 'application/json' } },
    ThingInput: structure(
      {
        Id: { target: 'number', httpLabel: true },
        Since: { target: 'timestamp', httpQuery: 'since' },
        Tags: { target: 'list<string>', httpQuery: 'tag' },
        Verbose: { target: 'boolean', httpQuery: 'verbose' },
      },
      ['Id'],
    ),
    ThingOutput: structure({
      Status: { target: 'number', httpResponseCode: true },
      Name: { target: 'string', jsonName: 'name' },
      Created: { target: 'timestamp', timestampFormat: 'date-time' },
    }),
    PartInput: structure({
      Id: { target: 'string', httpLabel: true },
      Part: { target: 'string', httpLabel: true },
    }),
    DeepInput: structure({ Path: { target: 'string', httpLabel: true } }),
    SearchInput: structure({
      Query: { target: 'string', httpQuery: 'q' },
      Rest: { target: 'map<list<string>>', httpQueryParams: true },
    }),
    FilterInput: structure({ Params: { target: 'map<string>', httpQueryParams: true } }),
    HeadersInput: structure(
      {
        ...HEADERS_BOTH_WAYS,
        Epoch: { target: 'timestamp', httpHeader: 'X-Epoch', timestampFormat: 'epoch-seconds' },
        Flag: { target: 'boolean', httpHeader: 'X-Flag' },
        Count: { target: 'number', httpHeader: 'X-Count' },
        Token: { target: 'string', httpHeader: 'X-Token' },
      },
      ['Token'],
    ),
    HeadersOutput: structure(HEADERS_BOTH_WAYS),
    DocInput: structure({
      Name: { target: 'string', httpLabel: true },
      Doc: { target: 'Doc', httpPayload: true },
    }),
    DocOutput: structure({ Text: { target: 'string', httpPayload: true } }),
    Doc: structure({ Title: { target: 'string' }, At: { target: 'timestamp' } }),
  },
  errors: [],
};

function request(method: string, path: string, query = '', headers: WireRequest['headers'] = {}, body = '') {
  return { method, path, query: new URLSearchParams(query), headers, body: Buffer.from(body) };
}

const resolve = (method: string, path: string, query = '', headers: WireRequest['headers'] = {}) =>
  restJsonCodec.resolveOperation(model, request(method, path, query, headers));

describe('URI templates', () => {
  test('labels, segment counts, literal query keys and the optional x-id', () => {
    expect(resolve('GET', '/things/7')).toBe('GetThing');
    expect(resolve('GET', '/things/7', 'x-id=GetThing')).toBe('GetThing');
    expect(resolve('GET', '/things/7', 'x-id=Other')).toBeUndefined();
    expect(resolve('GET', '/things')).toBe('ListThings');
    expect(resolve('GET', '/things/7/parts/a')).toBe('GetThingPart');
    expect(resolve('GET', '/things/7/parts')).toBeUndefined();
    expect(resolve('GET', '/filter')).toBeUndefined();
    expect(resolve('GET', '/filter', 'mode=loose')).toBeUndefined();
    expect(resolve('GET', '/filter', 'mode=strict')).toBe('Filter');
    expect(resolve('get', '/things')).toBe('ListThings');
    expect(resolve('DELETE', '/things')).toBeUndefined();
  });

  test('a greedy label in the middle takes every segment the template leaves', () => {
    expect(resolve('GET', '/deep/a/b%2Fc/d/meta')).toBe('GetDeep');
    expect(resolve('GET', '/deep/meta')).toBeUndefined();
    const input = restJsonCodec.parseInput(model, 'GetDeep', request('GET', '/deep/a/b%2Fc/d/meta'));
    expect(input).toEqual({ Path: 'a/b/c/d' });
  });

  test('required headers decide a match; a malformed percent-escape stays as sent', () => {
    expect(resolve('POST', '/headers')).toBeUndefined();
    expect(resolve('POST', '/headers', '', { 'x-token': 't' })).toBe('Headers');
    expect(
      restJsonCodec.parseInput(model, 'GetThingPart', request('GET', '/things/a%ZZ/parts/%E2%9C%93')),
    ).toEqual({
      Id: 'a%ZZ',
      Part: '✓',
    });
  });
});

describe('query string', () => {
  test('typed labels and parameters; lists repeat the key', () => {
    const input = restJsonCodec.parseInput(
      model,
      'GetThing',
      request('GET', '/things/42', 'since=2024-02-03T04:05:06Z&tag=a&tag=b%2Cc&verbose=true&x-id=GetThing'),
    );
    expect(input).toEqual({
      Id: 42,
      Since: new Date('2024-02-03T04:05:06Z'),
      Tags: ['a', 'b,c'],
      Verbose: true,
    });
  });

  test('httpQueryParams takes what no httpQuery member took, as lists or as strings', () => {
    const search = restJsonCodec.parseInput(model, 'Search', request('GET', '/search', 'q=x&a=1&a=2&b=3'));
    expect(search).toEqual({ Query: 'x', Rest: { a: ['1', '2'], b: ['3'] } });
    const filter = restJsonCodec.parseInput(model, 'Filter', request('GET', '/filter', 'mode=strict&k=v'));
    expect(filter).toEqual({ Params: { mode: 'strict', k: 'v' } });
  });

  test('a value that does not parse for its type is the protocol error', () => {
    expect(() => restJsonCodec.parseInput(model, 'GetThing', request('GET', '/things/seven'))).toThrow(
      expect.objectContaining({ code: 'SerializationException', status: 400 }),
    );
    expect(() =>
      restJsonCodec.parseInput(model, 'GetThing', request('GET', '/things/7', 'verbose=yes')),
    ).toThrow(expect.objectContaining({ code: 'SerializationException' }));
  });
});

describe('headers', () => {
  test('lists (quoted items, http-dates), epoch timestamps, media types, prefix maps', () => {
    const input = restJsonCodec.parseInput(
      model,
      'Headers',
      request('POST', '/headers', '', {
        'x-token': 't',
        'x-names': 'a, "b,c", "d\\"e"',
        'x-dates': 'Mon, 01 Jan 2024 00:00:00 GMT, Tue, 02 Jan 2024 00:00:00 GMT',
        'x-epoch': '1700000000.5',
        'x-json': Buffer.from('{"k":1}').toString('base64'),
        'x-flag': 'false',
        'x-count': '12',
        'x-meta-one': '1',
        'x-meta-two': '2',
      }),
    );
    expect(input).toEqual({
      Token: 't',
      Names: ['a', 'b,c', 'd"e'],
      Dates: [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-02T00:00:00Z')],
      Epoch: new Date(1700000000500),
      Json: '{"k":1}',
      Flag: false,
      Count: 12,
      Meta: { one: '1', two: '2' },
    });
  });

  test('written back: quoted list items, http-date lists, base64 media types, RFC 2047 for non-ASCII', () => {
    const res = restJsonCodec.serializeOutput(
      model,
      'Headers',
      {
        Names: ['a', 'b,c', 'd"e'],
        Dates: [new Date('2024-01-01T00:00:00Z')],
        Json: '{"k":1}',
        Meta: { One: 'ü' },
      },
      { requestId: 'r' },
    );
    expect(res.status).toBe(201);
    expect(res.headers['x-names']).toBe('a, "b,c", "d\\"e"');
    expect(splitHeaderList(res.headers['x-names'] as string)).toEqual(['a', 'b,c', 'd"e']);
    expect(res.headers['x-dates']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(res.headers['x-json']).toBe(Buffer.from('{"k":1}').toString('base64'));
    expect(res.headers['x-meta-one']).toBe('=?UTF-8?B?w7w=?=');
    expect(res.body).toBeUndefined();
  });
});

describe('payloads and bodies', () => {
  test('a structure payload is the whole body; an empty body leaves it out', () => {
    const put = (body: string) =>
      restJsonCodec.parseInput(model, 'PutDoc', request('PUT', '/docs/d', '', {}, body));
    expect(put('{"Title":"t","At":1700000000}')).toEqual({
      Name: 'd',
      Doc: { Title: 't', At: new Date(1700000000000) },
    });
    expect(put('')).toEqual({ Name: 'd' });
  });

  test('a string payload goes out raw as text/plain; the status member sets the status', () => {
    const doc = restJsonCodec.serializeOutput(model, 'PutDoc', { Text: 'plain text' }, { requestId: 'r' });
    expect(doc).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'plain text' });
    const thing = restJsonCodec.serializeOutput(
      model,
      'GetThing',
      { Status: 203, Name: 'n', Created: new Date('2024-01-01T00:00:00Z') },
      { requestId: 'r' },
    );
    expect(thing.status).toBe(203);
    expect(JSON.parse(thing.body as string)).toEqual({ name: 'n', Created: '2024-01-01T00:00:00.000Z' });
    expect(restJsonCodec.serializeOutput(model, 'GetThing', { Status: 99 }, { requestId: 'r' }).status).toBe(
      200,
    );
  });

  test('restJson1 honours jsonName when reading too', () => {
    const m: ServiceModel = {
      ...model,
      operations: { Echo: { input: 'ThingOutput', output: 'unit', http: http('POST', '/echo') } },
    };
    const req = request('POST', '/echo', '', {}, '{"name":"n","Created":"2024-01-01T00:00:00Z"}');
    expect(restJsonCodec.parseInput(m, 'Echo', req)).toEqual({
      Name: 'n',
      Created: new Date('2024-01-01T00:00:00Z'),
    });
  });
});
