/**
 * The same flows through a second client, the AWS CLI (botocore): `aws s3` mb/cp/sync/ls/rm/rb,
 * including a multipart cp, and `aws s3api` calls with their JSON output. Skipped, with a
 * message, where no `aws` is on the PATH.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_CLI, runAwsCli, warnWithoutAwsCli } from '../aws-cli.js';
import { bodyOf, etagOf, MiB, md5Hex, randomBody, useS3 } from './setup.js';

warnWithoutAwsCli('conformance/s3/aws-cli.test.ts');

const t = useS3();
const work = mkdtempSync(join(tmpdir(), 'localaws-s3-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `aws <args>` against the server. */
const aws = (...args: string[]) => runAwsCli(t.h.url, work, args);

function file(path: string, content: string | Buffer): string {
  const full = join(work, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

// each CLI call costs a Python start-up: the two flows run side by side
describe.skipIf(!AWS_CLI).concurrent('the AWS_CLI CLI against localaws', () => {
  const bucket = 'cli-flows';
  const s3 = () => t.s3;

  it('runs the aws s3 flow: mb, cp up and down (multipart above 8 MiB), sync both ways, ls, rm, rb', async () => {
    await aws('s3', 'mb', `s3://${bucket}`);
    const small = file('up/small.txt', 'small file\n');
    const bigBytes = randomBody(9 * MiB);
    const big = file('up/big.bin', bigBytes);
    file('tree/a.txt', 'a');
    file('tree/nested/b.txt', 'b');
    file('tree/nested/deeper/c with space.txt', 'c');

    await aws('s3', 'cp', small, `s3://${bucket}/small.txt`);
    const smallObject = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'small.txt' }));
    expect((await bodyOf(smallObject)).toString()).toBe('small file\n');

    await aws('s3', 'cp', big, `s3://${bucket}/big.bin`);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    expect(head.ContentLength).toBe(9 * MiB);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    await aws('s3', 'cp', `s3://${bucket}/big.bin`, join(work, 'down/big.bin'));
    expect(md5Hex(readFileSync(join(work, 'down/big.bin')))).toBe(md5Hex(bigBytes));

    await aws('s3', 'sync', join(work, 'tree'), `s3://${bucket}/synced/`);
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'synced/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([
      'synced/a.txt',
      'synced/nested/b.txt',
      'synced/nested/deeper/c with space.txt',
    ]);
    // a second sync finds nothing to do
    expect((await aws('s3', 'sync', join(work, 'tree'), `s3://${bucket}/synced/`)).trim()).toBe('');

    const ls = await aws('s3', 'ls', `s3://${bucket}/synced/`, '--recursive');
    expect(ls).toContain('synced/nested/deeper/c with space.txt');
    const top = await aws('s3', 'ls', `s3://${bucket}/`);
    expect(top).toMatch(/PRE synced\//);
    expect(top).toContain('small.txt');

    await aws('s3', 'sync', `s3://${bucket}/synced/`, join(work, 'back'));
    expect(readFileSync(join(work, 'back/nested/deeper/c with space.txt'), 'utf8')).toBe('c');

    await aws('s3', 'rm', `s3://${bucket}/synced/`, '--recursive');
    const after = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'synced/' }));
    expect(after.KeyCount).toBe(0);

    await aws('s3', 'rb', `s3://${bucket}`, '--force');
    const buckets = await s3().send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).not.toContain(bucket);
  }, 120_000);

  it('runs s3api calls and prints what the service returned', async () => {
    const api = 'cli-api';
    await aws('s3api', 'create-bucket', '--bucket', api);
    const body = file('api/doc.json', '{"hello":"cli"}');
    const put = JSON.parse(
      await aws(
        's3api',
        'put-object',
        '--bucket',
        api,
        '--key',
        'docs/doc.json',
        '--body',
        body,
        '--content-type',
        'application/json',
        '--metadata',
        'source=cli',
      ),
    );
    expect(put.ETag).toBe(etagOf('{"hello":"cli"}'));
    const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', api, '--key', 'docs/doc.json'));
    expect(head).toMatchObject({
      ContentType: 'application/json',
      ContentLength: 15,
      Metadata: { source: 'cli' },
    });
    const listed = JSON.parse(await aws('s3api', 'list-objects-v2', '--bucket', api, '--prefix', 'docs/'));
    expect(listed.Contents.map((o: { Key: string }) => o.Key)).toEqual(['docs/doc.json']);
    const out = join(work, 'api/got.json');
    await aws('s3api', 'get-object', '--bucket', api, '--key', 'docs/doc.json', out);
    expect(readFileSync(out, 'utf8')).toBe('{"hello":"cli"}');
    await expect(aws('s3api', 'head-object', '--bucket', api, '--key', 'absent')).rejects.toMatchObject({
      stderr: expect.stringContaining('Not Found'),
    });
  }, 60_000);
});
