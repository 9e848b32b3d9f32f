/**
 * Restarting on the same --data-dir keeps everything S3 acknowledged: buckets and their
 * region, configuration (versioning, CORS, tags, lifecycle, policy), objects with their
 * metadata, tags and checksums, every version and delete marker, and multipart uploads in
 * progress, which can then be completed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { multipartEtag } from './checksums.js';
import { bodyOf, etagOf, MiB, md5Hex, randomBody } from './setup.js';

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-s3-'));
const running: LocalAws[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: LocalAws; s3: S3Client }> {
  const server = await startLocalAws({ dataDir });
  running.push(server);
  const s3 = new S3Client({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  return { server, s3 };
}

async function stop(server: LocalAws): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

const Bucket = 'durable-bucket';
const CORS = [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['PUT'], MaxAgeSeconds: 60 }];
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` },
  ],
});

describe('S3 across a restart on the same data dir', () => {
  it('keeps buckets, configuration, objects, versions, delete markers and uploads in progress', async () => {
    const large = randomBody(2 * MiB + 5);
    const part1 = randomBody(5 * MiB);
    const part2 = randomBody(1000);

    const first = await start();
    let s3 = first.s3;
    await s3.send(
      new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    await s3.send(
      new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }),
    );
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: CORS } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: POLICY }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }],
        },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: 'unversioned.txt', Body: 'from before versioning' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'large.bin',
        Body: large,
        ContentType: 'application/x-large',
        Metadata: { origin: 'first-run' },
      }),
    );
    const tagged = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'tagged.txt',
        Body: 'tagged and summed',
        Tagging: 'stage=raw&owner=first%20run',
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    const v1 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'one' }))).VersionId;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'two' }))).VersionId;
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc' }))).VersionId;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'assembled.bin' }));
    const uploaded = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'assembled.bin', UploadId, PartNumber: 1, Body: part1 }),
    );
    await stop(first.server);

    const second = await start();
    s3 = second.s3;
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([Bucket]);
    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([
      { Key: 'team', Value: 'data' },
    ]);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual(CORS);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy as string)).toEqual(
      JSON.parse(POLICY),
    );
    expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules?.[0]?.ID).toBe(
      'tmp',
    );

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'large.bin' }));
    expect(got).toMatchObject({
      ContentType: 'application/x-large',
      Metadata: { origin: 'first-run' },
      ETag: etagOf(large),
    });
    expect(md5Hex(await bodyOf(got))).toBe(md5Hex(large));
    const taggedHead = await s3.send(
      new HeadObjectCommand({ Bucket, Key: 'tagged.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(taggedHead.ChecksumCRC32).toBe(tagged.ChecksumCRC32);
    expect(taggedHead.ChecksumCRC32).toBeTruthy();
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tagged.txt' }));
    expect(tags.TagSet).toEqual([
      { Key: 'stage', Value: 'raw' },
      { Key: 'owner', Value: 'first run' },
    ]);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'unversioned.txt', VersionId: 'null' }));
    expect((await bodyOf(old)).toString()).toBe('from before versioning');

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'doc' }));
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker, true]]);
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2, v1]);
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'doc' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const v1Body = await s3.send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: v1 }));
    expect((await bodyOf(v1Body)).toString()).toBe('one');

    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['assembled.bin', UploadId]]);
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key: 'assembled.bin', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, uploaded.ETag, 5 * MiB]]);
    const part2Upload = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'assembled.bin', UploadId, PartNumber: 2, Body: part2 }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'assembled.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: uploaded.ETag },
            { PartNumber: 2, ETag: part2Upload.ETag },
          ],
        },
      }),
    );
    expect(done.ETag).toBe(multipartEtag([part1, part2]));
    const assembled = await s3.send(new GetObjectCommand({ Bucket, Key: 'assembled.bin' }));
    expect(md5Hex(await bodyOf(assembled))).toBe(md5Hex(Buffer.concat([part1, part2])));
    await stop(second.server);

    // a third start sees what the second one wrote
    const third = await start();
    const head = await third.s3.send(new HeadObjectCommand({ Bucket, Key: 'assembled.bin' }));
    expect(head.ETag).toBe(multipartEtag([part1, part2]));
    expect((await third.s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);
  });
});
