/**
 * S3 buckets: create, head, list, locate and delete; the naming rules; one global namespace
 * shared by every account, each account seeing only its own; and the bucket configuration
 * S3 stores and returns (tagging, lifecycle, policy, notifications). Codes and messages from
 * the S3 API reference ("Error responses", CreateBucket, GetBucketLocation).
 */
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  type LifecycleRule,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  accountCredentials,
  bucketName,
  DEFAULT_ACCOUNT,
  httpStatus,
  NO_SUCH_BUCKET,
  newBucket,
  OTHER_ACCOUNT,
  put,
  s3Error,
  useS3,
} from './setup.js';

const t = useS3();
const h = t.h;
const s3 = () => t.s3;
const regional = (region: string) => t.client({ region });
const otherAccount = () => t.client({ credentials: accountCredentials(OTHER_ACCOUNT) });

const INVALID_BUCKET_NAME = s3Error('InvalidBucketName', 400, {
  message: 'The specified bucket is not valid.',
});

async function listedNames(client: S3Client): Promise<string[]> {
  const out = await client.send(new ListBucketsCommand({}));
  return (out.Buckets ?? []).map((b) => b.Name as string);
}

describe('CreateBucket, HeadBucket and ListBuckets', () => {
  it('creates a bucket that HeadBucket finds in us-east-1 and ListBuckets lists with its creation date', async () => {
    const before = Date.now();
    const Bucket = bucketName('created');
    const created = await s3().send(new CreateBucketCommand({ Bucket }));
    expect(created.Location).toBe(`/${Bucket}`);
    const head = await s3().send(new HeadBucketCommand({ Bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.BucketRegion).toBe('us-east-1');
    const listed = (await s3().send(new ListBucketsCommand({}))).Buckets?.find((b) => b.Name === Bucket);
    expect(listed?.CreationDate).toBeInstanceOf(Date);
    // Last-Modified style timestamps carry whole seconds
    expect(listed?.CreationDate?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(listed?.CreationDate?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('answers HeadBucket of a missing bucket with a bare 404', async () => {
    await expect(s3().send(new HeadBucketCommand({ Bucket: bucketName('missing') }))).rejects.toMatchObject({
      name: 'NotFound',
      ...httpStatus(404),
    });
  });

  it('reports NoSuchBucket with the bucket name for object operations on a missing bucket', async () => {
    const Bucket = bucketName('absent');
    await expect(s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }))).rejects.toMatchObject({
      ...NO_SUCH_BUCKET,
      BucketName: Bucket,
    });
    await expect(s3().send(new ListObjectsV2Command({ Bucket }))).rejects.toMatchObject(NO_SUCH_BUCKET);
  });

  it('pages ListBuckets by Prefix, MaxBuckets and ContinuationToken', async () => {
    const names = [bucketName('paged-a'), bucketName('paged-b'), bucketName('paged-c')];
    for (const Bucket of names) await s3().send(new CreateBucketCommand({ Bucket }));
    const first = await s3().send(new ListBucketsCommand({ Prefix: 'paged-', MaxBuckets: 2 }));
    expect(first.Prefix).toBe('paged-');
    expect(first.Buckets?.map((b) => b.Name)).toEqual(names.slice(0, 2));
    expect(first.ContinuationToken).toBeTruthy();
    const second = await s3().send(
      new ListBucketsCommand({ Prefix: 'paged-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
    );
    expect(second.Buckets?.map((b) => b.Name)).toEqual(names.slice(2));
    expect(second.ContinuationToken).toBeUndefined();
  });

  it('names the owner of the listed buckets by a canonical user id', async () => {
    const out = await s3().send(new ListBucketsCommand({}));
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('bucket location', () => {
  it('gives a us-east-1 bucket an empty LocationConstraint', async () => {
    const Bucket = await newBucket(s3(), 'virginia');
    const out = await s3().send(new GetBucketLocationCommand({ Bucket }));
    expect(out.LocationConstraint ?? '').toBe('');
  });

  it('creates a bucket in the region its LocationConstraint names, from that region', async () => {
    const Bucket = bucketName('ireland');
    const eu = regional('eu-west-1');
    await eu.send(
      new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    expect((await eu.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBe('eu-west-1');
    expect((await eu.send(new HeadBucketCommand({ Bucket }))).BucketRegion).toBe('eu-west-1');
    const listed = (await eu.send(new ListBucketsCommand({}))).Buckets?.find((b) => b.Name === Bucket);
    expect(listed?.BucketRegion).toBe('eu-west-1');
  });

  it('accepts any LocationConstraint through us-east-1, as the global endpoint does', async () => {
    const Bucket = bucketName('tokyo');
    await s3().send(
      new CreateBucketCommand({
        Bucket,
        CreateBucketConfiguration: { LocationConstraint: 'ap-northeast-1' },
      }),
    );
    expect((await s3().send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBe(
      'ap-northeast-1',
    );
  });

  it('refuses LocationConstraint us-east-1 with InvalidLocationConstraint', async () => {
    await expect(
      s3().send(
        new CreateBucketCommand({
          Bucket: bucketName('explicit-east'),
          // not a BucketLocationConstraint in the model: us-east-1 is the absence of one
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint },
        }),
      ),
    ).rejects.toMatchObject(
      s3Error('InvalidLocationConstraint', 400, {
        message: 'The specified location-constraint is not valid',
      }),
    );
  });

  it('refuses a constraint that differs from the regional endpoint with IllegalLocationConstraintException', async () => {
    // (the SDK fills an absent constraint with the client's region, so "unspecified" cannot be sent through it)
    const eu = regional('eu-west-1');
    await expect(
      eu.send(
        new CreateBucketCommand({
          Bucket: bucketName('elsewhere'),
          CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
        }),
      ),
    ).rejects.toMatchObject(
      s3Error('IllegalLocationConstraintException', 400, {
        message:
          'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.',
      }),
    );
  });
});

describe('bucket names', () => {
  const invalid = [
    ['two characters', 'ab'],
    ['64 characters', 'a'.repeat(64)],
    ['upper case', 'Upper-case-name'],
    ['an underscore', 'under_score'],
    ['adjacent dots', 'two..dots'],
    ['a leading hyphen', '-leading'],
    ['a trailing hyphen', 'trailing-'],
    ['a dot next to a hyphen', 'dot-.hyphen'],
    ['an IP address form', '192.168.5.4'],
    ['the xn-- prefix', 'xn--reserved'],
    ['the sthree- prefix', 'sthree-reserved'],
    ['the -s3alias suffix', 'reserved-s3alias'],
    ['the --ol-s3 suffix', 'reserved--ol-s3'],
  ];
  for (const [what, name] of invalid) {
    it(`rejects a name with ${what} (${name}) with InvalidBucketName`, async () => {
      await expect(s3().send(new CreateBucketCommand({ Bucket: name }))).rejects.toMatchObject(
        INVALID_BUCKET_NAME,
      );
    });
  }

  it('accepts 3 and 63 characters, digits, dots and hyphens', async () => {
    for (const Bucket of ['a1b', `x${'9'.repeat(61)}z`, 'with.dots-and-hyphens.2']) {
      await s3().send(new CreateBucketCommand({ Bucket }));
      expect((await s3().send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(200);
    }
  });
});

describe('one namespace, separate accounts', () => {
  it('answers a second create by the owner outside us-east-1 with BucketAlreadyOwnedByYou', async () => {
    const Bucket = bucketName('owned');
    const eu = regional('eu-west-1');
    const input = { Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as const } };
    await eu.send(new CreateBucketCommand(input));
    await expect(eu.send(new CreateBucketCommand(input))).rejects.toMatchObject(
      s3Error('BucketAlreadyOwnedByYou', 409, {
        message: 'Your previous request to create the named bucket succeeded and you already own it.',
        fields: { BucketName: Bucket },
      }),
    );
  });

  it('answers a second create by the owner in us-east-1 with 200, keeping the contents (legacy behaviour)', async () => {
    const Bucket = await newBucket(s3(), 'legacy');
    await put(s3(), Bucket, 'kept');
    const again = await s3().send(new CreateBucketCommand({ Bucket }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    const listed = await s3().send(new ListObjectsV2Command({ Bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['kept']);
  });

  it('refuses a name another account holds with BucketAlreadyExists', async () => {
    const Bucket = await newBucket(s3(), 'taken');
    await expect(otherAccount().send(new CreateBucketCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('BucketAlreadyExists', 409, {
        message:
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        fields: { BucketName: Bucket },
      }),
    );
  });

  it("lists only the caller's buckets and denies another account's with 403", async () => {
    const mine = await newBucket(s3(), 'mine');
    const theirs = await newBucket(otherAccount(), 'theirs');
    expect(await listedNames(s3())).toContain(mine);
    expect(await listedNames(s3())).not.toContain(theirs);
    expect(await listedNames(otherAccount())).toEqual([theirs]);
    await expect(s3().send(new HeadBucketCommand({ Bucket: theirs }))).rejects.toMatchObject(httpStatus(403));
    await expect(
      s3().send(new PutObjectCommand({ Bucket: theirs, Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject(s3Error('AccessDenied', 403));
  });

  it('frees the name for any account once the bucket is deleted', async () => {
    const Bucket = await newBucket(s3(), 'released');
    await s3().send(new DeleteBucketCommand({ Bucket }));
    await otherAccount().send(new CreateBucketCommand({ Bucket }));
    expect(await listedNames(otherAccount())).toContain(Bucket);
    expect(await listedNames(s3())).not.toContain(Bucket);
  });
});

describe('DeleteBucket', () => {
  it('refuses a bucket with objects with BucketNotEmpty, then deletes it once empty', async () => {
    const Bucket = await newBucket(s3(), 'full');
    await put(s3(), Bucket, 'inside');
    await expect(s3().send(new DeleteBucketCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('BucketNotEmpty', 409, {
        message: 'The bucket you tried to delete is not empty',
        fields: { BucketName: Bucket },
      }),
    );
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'inside' }));
    const deleted = await s3().send(new DeleteBucketCommand({ Bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(s3().send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject(httpStatus(404));
    await expect(s3().send(new DeleteBucketCommand({ Bucket }))).rejects.toMatchObject(NO_SUCH_BUCKET);
  });
});

describe('bucket configuration', () => {
  it('stores, returns and deletes bucket tags; an untagged bucket has NoSuchTagSet', async () => {
    const Bucket = await newBucket(s3(), 'tagged');
    await expect(s3().send(new GetBucketTaggingCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchTagSet', 404),
    );
    const TagSet = [
      { Key: 'team', Value: 'storage' },
      { Key: 'env', Value: 'test' },
    ];
    await s3().send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
    const out = await s3().send(new GetBucketTaggingCommand({ Bucket }));
    expect(out.TagSet).toEqual(expect.arrayContaining(TagSet));
    expect(out.TagSet).toHaveLength(2);
    const deleted = await s3().send(new DeleteBucketTaggingCommand({ Bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(s3().send(new GetBucketTaggingCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchTagSet', 404),
    );
  });

  it('stores and returns a lifecycle configuration; none gives NoSuchLifecycleConfiguration', async () => {
    const Bucket = await newBucket(s3(), 'lifecycle');
    await expect(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchLifecycleConfiguration', 404),
    );
    const Rules = [
      {
        ID: 'expire-logs',
        Status: 'Enabled' as const,
        Filter: { Prefix: 'logs/' },
        Expiration: { Days: 30 },
      },
    ];
    await s3().send(
      new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }),
    );
    const out = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(out.Rules).toEqual([expect.objectContaining(Rules[0])]);
    await s3().send(new DeleteBucketLifecycleCommand({ Bucket }));
    await expect(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchLifecycleConfiguration', 404),
    );
  });

  it('returns a lifecycle configuration of every rule kind as put, with its transition minimum size', async () => {
    const Bucket = await newBucket(s3(), 'lifecycle-rich');
    const Rules: LifecycleRule[] = [
      {
        ID: 'archive-large-logs',
        Status: 'Enabled',
        Filter: {
          And: {
            Prefix: 'logs/',
            Tags: [
              { Key: 'tier', Value: 'cold' },
              { Key: 'team', Value: 'data' },
            ],
            ObjectSizeGreaterThan: 1024,
            ObjectSizeLessThan: 1048576,
          },
        },
        Transitions: [
          { Days: 30, StorageClass: 'STANDARD_IA' },
          { Days: 90, StorageClass: 'GLACIER' },
        ],
        NoncurrentVersionTransitions: [
          { NoncurrentDays: 30, StorageClass: 'GLACIER', NewerNoncurrentVersions: 2 },
        ],
        NoncurrentVersionExpiration: { NoncurrentDays: 365, NewerNoncurrentVersions: 3 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
      {
        ID: 'dated',
        Status: 'Disabled',
        Filter: { Tag: { Key: 'expires', Value: 'yes' } },
        Expiration: { Date: new Date('2030-01-01T00:00:00Z') },
      },
      { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ];
    const put = await s3().send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: { Rules },
        TransitionDefaultMinimumObjectSize: 'varies_by_storage_class',
      }),
    );
    expect(put.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    const out = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(out.Rules).toEqual(Rules);
    expect(out.TransitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    // without the header, S3 applies (and reports) its default
    await s3().send(
      new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [Rules[2]] } }),
    );
    const plain = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(plain.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    expect(plain.Rules).toEqual([Rules[2]]);
  });

  it('stores and returns a bucket policy; none gives NoSuchBucketPolicy', async () => {
    const Bucket = await newBucket(s3(), 'policy');
    await expect(s3().send(new GetBucketPolicyCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchBucketPolicy', 404),
    );
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${Bucket}/*`,
        },
      ],
    };
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
    const out = await s3().send(new GetBucketPolicyCommand({ Bucket }));
    expect(JSON.parse(out.Policy as string)).toEqual(policy);
    await s3().send(new DeleteBucketPolicyCommand({ Bucket }));
    await expect(s3().send(new GetBucketPolicyCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchBucketPolicy', 404),
    );
  });

  it('stores and returns a notification configuration, empty until one is put', async () => {
    const Bucket = await newBucket(s3(), 'notify');
    const empty = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(empty.QueueConfigurations ?? []).toEqual([]);
    const sqs = new SQSClient(h.clientConfig());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${Bucket}-events` }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const QueueArn = attrs.Attributes?.QueueArn as string;
    expect(QueueArn).toBe(`arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${Bucket}-events`);
    await s3().send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'uploads', QueueArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
    const out = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(out.QueueConfigurations).toEqual([{ Id: 'uploads', QueueArn, Events: ['s3:ObjectCreated:*'] }]);
  });
});
