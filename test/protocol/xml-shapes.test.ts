import { describe, expect, it } from 'vitest';
import type { MemberDef, ServiceModel } from '../../src/protocol/model.js';
import { loadModel } from '../../src/protocol/model.js';
import { escapeXmlAttribute, escapeXmlText } from '../../src/protocol/scalar-text.js';
import {
  readXmlShape,
  writeXmlMembers,
  writeXmlShape,
  XmlParseError,
} from '../../src/protocol/xml-shapes.js';
import { readableOutput } from './query-round-trip.js';
import { failuresOf } from './round-trip.js';
import { Sampler } from './samples.js';
import { reusableSdkClient } from './sdk-harness.js';
import { thrownBy } from './thrown.js';

const s3 = loadModel('s3');
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const HTTP_BOUND = ['httpHeader', 'httpQuery', 'httpLabel', 'httpPrefixHeaders', 'httpResponseCode'] as const;

/** The member of an operation's input or output bound to the whole body, when it is XML. */
function xmlPayload(model: ServiceModel, shapeId: string): [string, MemberDef] | undefined {
  const shape = model.shapes[shapeId];
  if (shape?.type !== 'structure') return undefined;
  const found = Object.entries(shape.members).find(([, m]) => m.httpPayload);
  const target = found && model.shapes[found[1].target];
  // an event stream (S3 SelectObjectContent) is a binary framing, not XML
  if (!target || target.traits?.streaming) return undefined;
  return target.type === 'structure' || target.type === 'union' ? found : undefined;
}

/** The root element the SDK gives a payload: the member's xmlName, else the shape's. */
function payloadRoot(model: ServiceModel, member: MemberDef): string {
  return member.xmlName ?? (model.shapes[member.target]?.traits?.xmlName as string) ?? member.target;
}

/** Only the members an XML body carries. */
function bodyMembers(model: ServiceModel, shapeId: string, value: Record<string, unknown>) {
  const shape = model.shapes[shapeId];
  if (shape?.type !== 'structure') return value;
  return Object.fromEntries(
    Object.entries(value).filter(([k]) => {
      const m = shape.members[k];
      return m && !m.httpPayload && !HTTP_BOUND.some((t) => m[t] !== undefined);
    }),
  );
}

/** Two members written under one element name (SQS ReceiveMessage's AttributeNames and
 * MessageSystemAttributeNames) cannot be told apart when read back. */
function sharesATag(members: Record<string, MemberDef>): boolean {
  const tags = Object.entries(members).map(([name, m]) => m.xmlName ?? name);
  return new Set(tags).size !== tags.length;
}

/** The SDK refuses what the sampler cannot know: checksum algorithms it cannot compute, host
 * prefixes that are no DNS label, SSE-C keys without the MD5 the harness turns off. None of
 * them is in an XML body. */
function s3Sendable(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  if (out.ChecksumAlgorithm !== undefined) out.ChecksumAlgorithm = 'CRC32';
  if (out.RequestRoute !== undefined) out.RequestRoute = 'route-1';
  delete out.SSECustomerKey;
  delete out.CopySourceSSECustomerKey;
  return out;
}

describe('XML escaping', () => {
  it('escapes markup, quotes and the characters XML cannot hold raw', () => {
    expect(escapeXmlText(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXmlText('cr\r\nlf\ttab')).toBe('cr&#xD;\nlf\ttab');
    expect(escapeXmlText('nul\u0000bell\u0007')).toBe('nul&#x0;bell&#x7;');
    expect(escapeXmlText('ünïcödé ✓ 🚀 plain')).toBe('ünïcödé ✓ 🚀 plain');
    expect(escapeXmlAttribute('a\tb\nc"d')).toBe('a&#x9;b&#xA;c&quot;d');
  });

  it('reads back what it escapes', () => {
    const text = `tricky & <x> "q" 'a' \r\n\t ✓ 🚀`;
    const xml = `<Tagging><TagSet><Tag><Key>${escapeXmlText(text)}</Key><Value></Value></Tag></TagSet></Tagging>`;
    expect(readXmlShape(s3, 'Tagging', xml)).toEqual({ TagSet: [{ Key: text, Value: '' }] });
  });
});

describe('writeXmlShape', () => {
  it('writes lists, flattened lists, timestamps and the root namespace', () => {
    const xml = writeXmlShape(
      s3,
      'ListObjectsV2Output',
      {
        Name: 'bucket',
        KeyCount: 2,
        IsTruncated: false,
        Contents: [
          { Key: 'a&b', LastModified: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), ETag: '"e1"', Size: 3 },
          { Key: 'c', ChecksumAlgorithm: ['CRC32', 'SHA256'] },
        ],
        CommonPrefixes: [],
        RequestCharged: 'requester',
      },
      'ListBucketResult',
      { xmlns: S3_NS },
    );
    expect(xml).toBe(
      `<ListBucketResult xmlns="${S3_NS}"><IsTruncated>false</IsTruncated>` +
        '<Contents><Key>a&amp;b</Key><LastModified>2024-01-02T03:04:05.006Z</LastModified>' +
        '<ETag>&quot;e1&quot;</ETag><Size>3</Size></Contents>' +
        '<Contents><Key>c</Key><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>' +
        '</Contents><Name>bucket</Name><KeyCount>2</KeyCount></ListBucketResult>',
    );
  });

  it('writes attributes with their namespace declarations', () => {
    const xml = writeXmlShape(
      s3,
      'AccessControlPolicy',
      {
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: 'id1', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
        ],
        Owner: { ID: 'id1' },
      },
      'AccessControlPolicy',
      { xmlns: S3_NS },
    );
    expect(xml).toBe(
      `<AccessControlPolicy xmlns="${S3_NS}"><AccessControlList><Grant>` +
        '<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">' +
        '<DisplayName>me</DisplayName><ID>id1</ID></Grantee><Permission>FULL_CONTROL</Permission>' +
        '</Grant></AccessControlList><Owner><ID>id1</ID></Owner></AccessControlPolicy>',
    );
  });

  it('writes maps as entry/key/value, flattened maps with renamed keys, blobs and special numbers', () => {
    const sqs = loadModel('sqs');
    expect(
      writeXmlMembers(sqs, 'Message', {
        Attributes: { A: '1' },
        MessageAttributes: { b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255]) } },
      }),
    ).toBe(
      '<Attribute><Name>A</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>b</Name><Value><DataType>Binary</DataType><BinaryValue>AP8=</BinaryValue>' +
        '</Value></MessageAttribute>',
    );
    const sns = loadModel('sns');
    expect(writeXmlMembers(sns, 'GetTopicAttributesResponse', { Attributes: { k: 'v' } })).toBe(
      '<Attributes><entry><key>k</key><value>v</value></entry></Attributes>',
    );
    const ec2 = loadModel('ec2');
    expect(writeXmlMembers(ec2, 'SpotPrice', { SpotPrice: 'x', Timestamp: new Date(0) })).toBe(
      '<spotPrice>x</spotPrice><timestamp>1970-01-01T00:00:00.000Z</timestamp>',
    );
  });
});

describe('readXmlShape', () => {
  it('reads S3 request bodies: flattened lists, attributes, booleans, numbers', () => {
    expect(
      readXmlShape(
        s3,
        'CompletedMultipartUpload',
        `<?xml version="1.0" encoding="UTF-8"?>
        <CompleteMultipartUpload xmlns="${S3_NS}">
          <Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part>
          <Part><PartNumber>2</PartNumber><ETag>&quot;b&quot;</ETag></Part>
        </CompleteMultipartUpload>`,
        { rootName: 'CompleteMultipartUpload' },
      ),
    ).toEqual({
      Parts: [
        { PartNumber: 1, ETag: '"a"' },
        { PartNumber: 2, ETag: '"b"' },
      ],
    });
    expect(
      readXmlShape(
        s3,
        'Delete',
        '<Delete><Quiet>true</Quiet><Object><Key>k 1</Key><VersionId>v</VersionId></Object></Delete>',
      ),
    ).toEqual({ Quiet: true, Objects: [{ Key: 'k 1', VersionId: 'v' }] });
    expect(
      readXmlShape(
        s3,
        'AccessControlPolicy',
        '<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
          'xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>' +
          '<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
      ),
    ).toEqual({
      Grants: [
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
      ],
    });
  });

  it('keeps the whitespace of string values', () => {
    expect(
      readXmlShape(
        s3,
        'Tagging',
        '<Tagging><TagSet><Tag><Key>  k  </Key><Value> </Value></Tag></TagSet></Tagging>',
      ),
    ).toEqual({ TagSet: [{ Key: '  k  ', Value: ' ' }] });
  });

  it('throws XmlParseError for malformed documents and values', () => {
    const bad: [string, string][] = [
      ['Tagging', ''],
      ['Tagging', 'not xml'],
      ['Tagging', '<Tagging><TagSet></Tagging>'],
      ['Tagging', '<Tagging></Tagging><Tagging></Tagging>'],
      ['Tagging', '<Tagging/><Other/>'],
      ['Tagging', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet>'],
      ['Tagging', '<Tagging><__proto__><polluted>1</polluted></__proto__></Tagging>'],
      ['Delete', '<Delete><Quiet>maybe</Quiet></Delete>'],
      ['Delete', '<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet><Quiet>false</Quiet></Delete>'],
      ['CompletedMultipartUpload', '<C><Part><PartNumber>one</PartNumber></Part></C>'],
      ['ObjectLockRetention', '<Retention><RetainUntilDate>next week</RetainUntilDate></Retention>'],
    ];
    for (const [shapeId, xml] of bad) {
      expect(
        thrownBy(() => readXmlShape(s3, shapeId, xml)),
        xml,
      ).toBeInstanceOf(XmlParseError);
    }
    expect(thrownBy(() => readXmlShape(s3, 'Tagging', '<Other/>', { rootName: 'Tagging' }))).toBeInstanceOf(
      XmlParseError,
    );
    expect(readXmlShape(s3, 'Tagging', '<s3:Tagging xmlns:s3="x"/>', { rootName: 'Tagging' })).toEqual({});
  });

  it('never expands entities from a DTD', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><Tagging><TagSet><Tag><Key>&lol3;</Key></Tag></TagSet></Tagging>';
    expect(thrownBy(() => readXmlShape(s3, 'Tagging', laughs))).toBeInstanceOf(XmlParseError);
    const external =
      '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><Tagging>&x;</Tagging>';
    expect(thrownBy(() => readXmlShape(s3, 'Tagging', external))).toBeInstanceOf(XmlParseError);
  });

  it('keeps a map key named __proto__ as data', () => {
    const sqs = loadModel('sqs');
    // GetQueueAttributesResult's Attributes map, read as a restXml body would be
    const read = readXmlShape(
      sqs,
      'GetQueueAttributesResult',
      '<R><Attribute><Name>__proto__</Name><Value>x</Value></Attribute></R>',
    );
    const attributes = read.Attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('x');
  });

  it('reads back everything it writes, for every structure of the XML models', async () => {
    const cases = ['s3', 'sqs', 'sns', 'sts', 'ec2'].flatMap((id) => {
      const model = loadModel(id);
      return Object.entries(model.shapes)
        .filter(([, shape]) => shape.type === 'structure' && !sharesATag(shape.members))
        .map(([shapeId]) => ({ model, shapeId }));
    });
    const failures = await failuresOf(
      cases,
      (c) => `${c.model.id} ${c.shapeId}`,
      ({ model, shapeId }) => {
        const value = bodyMembers(model, shapeId, new Sampler(model, { seed: 3 }).structure(shapeId));
        const xml = writeXmlShape(model, shapeId, value, 'Root');
        expect(readXmlShape(model, shapeId, xml, { rootName: 'Root' })).toEqual(
          readableOutput(model, shapeId, value),
        );
      },
    );
    expect(failures).toEqual([]);
  });
});

describe('XML shapes against the SDK (S3 payloads)', () => {
  const sdk = reusableSdkClient('s3');
  const operations = Object.keys(s3.operations);

  it('reads every XML request payload the SDK writes', async () => {
    const cases = operations
      .map((op) => ({ op, payload: xmlPayload(s3, s3.operations[op]!.input) }))
      .filter((c) => c.payload)
      .flatMap((c) => [1, 2, 3].map((seed) => ({ ...c, seed })));
    expect(cases.length).toBeGreaterThan(60);
    const failures = await failuresOf(
      cases,
      (c) => `${c.op} seed ${c.seed}`,
      async ({ op, payload, seed }) => {
        const [name, member] = payload!;
        const sampled = new Sampler(s3, { seed, omitRate: seed === 3 ? 0.5 : 0 }).structure(
          s3.operations[op]!.input,
        );
        const input = s3Sendable(sampled);
        if (input[name] === undefined) return;
        const req = await sdk.captureRequest(op, input);
        const read = readXmlShape(s3, member.target, req.body, { rootName: payloadRoot(s3, member) });
        expect(read).toEqual(readableOutput(s3, member.target, input[name] as Record<string, unknown>));
      },
    );
    expect(failures).toEqual([]);
  });

  it('writes every XML output body so that the SDK reads it back', async () => {
    const cases = operations
      .filter((op) => {
        const outputId = s3.operations[op]!.output;
        const shape = s3.shapes[outputId];
        if (shape?.type !== 'structure') return false;
        // a string or streaming payload is no XML; GetBucketLocation's body is bare text
        if (op === 'GetBucketLocation') return false;
        if (xmlPayload(s3, outputId)) return true;
        const members = Object.values(shape.members);
        return (
          !members.some((m) => m.httpPayload) &&
          members.some((m) => !HTTP_BOUND.some((t) => m[t] !== undefined))
        );
      })
      .flatMap((op) => [1, 2].map((seed) => ({ op, seed })));
    expect(cases.length).toBeGreaterThan(40);
    const failures = await failuresOf(
      cases,
      (c) => `${c.op} seed ${c.seed}`,
      async ({ op, seed }) => {
        const { input: inputId, output: outputId } = s3.operations[op]!;
        const output = new Sampler(s3, { seed, omitRate: seed === 2 ? 0.5 : 0 }).structure(outputId);
        const payload = xmlPayload(s3, outputId);
        const [shapeId, value] = payload
          ? [payload[1].target, (output[payload[0]] ?? {}) as Record<string, unknown>]
          : [outputId, bodyMembers(s3, outputId, output)];
        const body = writeXmlShape(s3, shapeId, value, 'Result', { xmlns: S3_NS });
        const input = s3Sendable(new Sampler(s3, { seed }).structure(inputId));
        const res = await sdk.deserializeResponse(op, input, { status: 200, headers: {}, body });
        expect(res.error).toBeUndefined();
        const { $metadata, ...got } = res.output!;
        const expected = readableOutput(s3, shapeId, value);
        expect(payload ? got[payload[0]] : got).toEqual(expected);
      },
    );
    expect(failures).toEqual([]);
  });
});
