/**
 * Presigned URLs made and used by other clients than SDK v3's: boto3, which still signs them
 * with SigV2 (`AWSAccessKeyId`, `Expires`, `Signature`) by default for a custom endpoint, and
 * its presigned POST form; curl, which uses SDK v3's and boto3's URLs as they are. Against a
 * strict server, so every signature is verified. Each part skips, with a message, where
 * python3 with boto3 or curl is absent.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, etagOf, newBucket, put, randomBody, useS3, xmlError } from './setup.js';

const run = promisify(execFile);

function works(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BOTO3 = works('python3', ['-c', 'import boto3']);
const CURL = works('curl', ['--version']);
if (!BOTO3)
  console.warn('conformance/s3/audit-second-clients.test.ts: no python3 with boto3, skipping its URLs');
if (!CURL) console.warn('conformance/s3/audit-second-clients.test.ts: no curl, skipping the curl requests');

const t = useS3({ strictAuth: true, credentials: { test: 'test' } });
const s3 = () => t.s3;
const work = mkdtempSync(join(tmpdir(), 'localaws-s3-clients-'));
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(s3(), 'clients');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** boto3 as an application configures it for a local endpoint: no signature version chosen. */
const BOTO3_PRESIGN = `
import json, sys, boto3
args = json.loads(sys.argv[1])
client = boto3.client('s3', endpoint_url=args['endpoint'], region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
out = []
for r in args['urls']:
    out.append(client.generate_presigned_url(r['method'], Params=r['params'], ExpiresIn=r.get('expires', 300),
                                             HttpMethod=r.get('http')))
post = None
if args.get('post'):
    post = client.generate_presigned_post(args['post']['bucket'], args['post']['key'],
                                          Fields=args['post'].get('fields'),
                                          Conditions=args['post'].get('conditions'), ExpiresIn=300)
print(json.dumps({'urls': out, 'post': post}))
`;

interface Presign {
  method: string;
  params: Record<string, string>;
  expires?: number;
  http?: string;
}
interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

async function boto3(
  urls: Presign[],
  post?: { bucket: string; key: string; fields?: Record<string, string>; conditions?: unknown[] },
): Promise<{ urls: string[]; post: PresignedPost | null }> {
  const { stdout } = await run(
    'python3',
    ['-c', BOTO3_PRESIGN, JSON.stringify({ endpoint: t.h.url, urls, post })],
    {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        AWS_CONFIG_FILE: join(work, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
      },
    },
  );
  return JSON.parse(stdout);
}

/** curl's status and body for a URL; `args` add a method, an upload... */
async function curl(url: string, ...args: string[]): Promise<{ status: number; body: Buffer }> {
  const out = join(work, `curl-${Math.random().toString(36).slice(2)}`);
  const { stdout } = await run('curl', ['-sS', '-o', out, '-w', '%{http_code}', ...args, url]);
  const body = readFileSync(out);
  rmSync(out);
  return { status: Number(stdout), body };
}

/** S3's placeholder in a POST form's key, which the uploaded file's name replaces. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's own syntax, not a template
const FILENAME = '${filename}';

function file(name: string, content: Buffer | string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

describe.skipIf(!BOTO3)('boto3 presigned URLs (SigV2 query authentication)', () => {
  it('signs with AWSAccessKeyId, Expires and Signature, and its GET serves the object to fetch and curl', async () => {
    const Key = 'dir/with space+plus ü.txt';
    await put(s3(), bucket, Key, 'shared by boto3', { ContentType: 'text/plain' });
    const [url] = (await boto3([{ method: 'get_object', params: { Bucket: bucket, Key } }])).urls as [string];
    const query = new URL(url).searchParams;
    expect([...query.keys()].sort()).toEqual(['AWSAccessKeyId', 'Expires', 'Signature']);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('shared by boto3');
    expect(res.headers.get('content-type')).toBe('text/plain');
    if (CURL) {
      const got = await curl(url);
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe('shared by boto3');
    }
  });

  it('PUT stores exactly the bytes sent, HEAD answers without a body, DELETE removes', async () => {
    const bytes = randomBody(300 * 1024);
    const [putUrl, headUrl, deleteUrl] = (
      await boto3([
        { method: 'put_object', params: { Bucket: bucket, Key: 'uploaded.bin' } },
        { method: 'head_object', params: { Bucket: bucket, Key: 'uploaded.bin' } },
        { method: 'delete_object', params: { Bucket: bucket, Key: 'uploaded.bin' } },
      ])
    ).urls as [string, string, string];
    const uploaded = await fetch(putUrl, { method: 'PUT', body: new Uint8Array(bytes) });
    expect(uploaded.status).toBe(200);
    expect(uploaded.headers.get('etag')).toBe(etagOf(bytes));
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'uploaded.bin' }));
    expect((await bodyOf(got)).equals(bytes)).toBe(true);

    const head = await fetch(headUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(await head.text()).toBe('');

    expect((await fetch(deleteUrl, { method: 'DELETE' })).status).toBe(204);
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'uploaded.bin' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it.skipIf(!CURL)('works with curl for PUT (-T), HEAD (-I) and DELETE', async () => {
    const bytes = randomBody(64 * 1024);
    const [putUrl, headUrl, deleteUrl] = (
      await boto3([
        { method: 'put_object', params: { Bucket: bucket, Key: 'by-curl.bin' } },
        { method: 'head_object', params: { Bucket: bucket, Key: 'by-curl.bin' } },
        { method: 'delete_object', params: { Bucket: bucket, Key: 'by-curl.bin' } },
      ])
    ).urls as [string, string, string];
    expect((await curl(putUrl, '-T', file('by-curl.bin', bytes))).status).toBe(200);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'by-curl.bin' }));
    expect((await bodyOf(got)).equals(bytes)).toBe(true);
    expect((await curl(headUrl, '-I')).status).toBe(200);
    expect((await curl(deleteUrl, '-X', 'DELETE')).status).toBe(204);
  });

  it('refuses a boto3 URL whose key, method or signed Content-Type was changed, changing nothing', async () => {
    await put(s3(), bucket, 'guarded', 'original');
    await put(s3(), bucket, 'neighbour', 'other');
    const [getUrl, putUrl] = (
      await boto3([
        { method: 'get_object', params: { Bucket: bucket, Key: 'guarded' } },
        { method: 'put_object', params: { Bucket: bucket, Key: 'guarded' } },
      ])
    ).urls as [string, string];
    const otherKey = await fetch(getUrl.replace('/guarded?', '/neighbour?'));
    expect(otherKey.status).toBe(403);
    expect(xmlError(await otherKey.text()).code).toBe('SignatureDoesNotMatch');
    const otherMethod = await fetch(getUrl, { method: 'DELETE' });
    expect(otherMethod.status).toBe(403);
    // SigV2 signs the Content-Type: boto3 signed none, so a typed PUT is not the one signed
    const typed = await fetch(putUrl, {
      method: 'PUT',
      body: 'replaced',
      headers: { 'content-type': 'text/plain' },
    });
    expect(typed.status).toBe(403);
    expect(xmlError(await typed.text()).code).toBe('SignatureDoesNotMatch');
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'guarded' }));
    expect((await bodyOf(got)).toString()).toBe('original');
  });

  it("uploads through boto3's presigned POST form, and refuses the form for another key", async () => {
    const { post } = await boto3([], {
      bucket,
      key: `forms/${FILENAME}`,
      fields: { 'Content-Type': 'text/csv' },
      conditions: [['starts-with', '$key', 'forms/'], { 'Content-Type': 'text/csv' }],
    });
    if (!post) throw new Error('boto3 made no presigned POST');
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['a,b\n1,2\n']), 'report.csv');
    const res = await fetch(post.url, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'forms/report.csv' }));
    expect((await bodyOf(got)).toString()).toBe('a,b\n1,2\n');
    expect(got.ContentType).toBe('text/csv');

    const elsewhere = new FormData();
    for (const [name, value] of Object.entries(post.fields)) {
      elsewhere.append(name, name === 'key' ? `outside/${FILENAME}` : value);
    }
    elsewhere.append('file', new Blob(['x']), 'x.csv');
    const refused = await fetch(post.url, { method: 'POST', body: elsewhere });
    expect(refused.status).toBe(403);
    expect(xmlError(await refused.text()).code).toBe('AccessDenied');
  });

  it('honours a boto3 URL until its Expires on the server clock, then answers "Request has expired"', async () => {
    await put(s3(), bucket, 'expiring', 'for a minute');
    const [url] = (
      await boto3([{ method: 'get_object', params: { Bucket: bucket, Key: 'expiring' }, expires: 60 }])
    ).urls as [string];
    expect((await fetch(url)).status).toBe(200);
    t.h.server.advanceClock(120);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(xmlError(await expired.text())).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
  });
});

describe.skipIf(!CURL)('curl with SDK v3 presigned URLs (SigV4)', () => {
  const presigner = () => t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });

  it('GETs an object and PUTs a file byte for byte', async () => {
    await put(s3(), bucket, 'v4/read.txt', 'read by curl');
    const getUrl = await getSignedUrl(
      presigner(),
      new GetObjectCommand({ Bucket: bucket, Key: 'v4/read.txt' }),
    );
    const got = await curl(getUrl);
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe('read by curl');

    const bytes = randomBody(200 * 1024);
    const putUrl = await getSignedUrl(
      presigner(),
      new PutObjectCommand({ Bucket: bucket, Key: 'v4/written.bin' }),
    );
    // curl -T sends no Content-Type; -H adds an unsigned one, which S3 keeps
    expect(
      (await curl(putUrl, '-T', file('written.bin', bytes), '-H', 'Content-Type: application/x-thing'))
        .status,
    ).toBe(200);
    const stored = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'v4/written.bin' }));
    expect((await bodyOf(stored)).equals(bytes)).toBe(true);
    expect(stored.ContentType).toBe('application/x-thing');
  });

  it('is refused a URL signed for another method', async () => {
    await put(s3(), bucket, 'v4/kept.txt', 'kept');
    const getUrl = await getSignedUrl(
      presigner(),
      new GetObjectCommand({ Bucket: bucket, Key: 'v4/kept.txt' }),
    );
    const res = await curl(getUrl, '-X', 'DELETE');
    expect(res.status).toBe(403);
    expect(xmlError(res.body.toString()).code).toBe('SignatureDoesNotMatch');
  });
});
