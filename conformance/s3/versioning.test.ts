/**
 * Versioning ("Retaining multiple versions of objects"): once enabled every put makes a
 * version; GET, HEAD and DELETE address versions by id; a plain DELETE leaves a delete marker
 * (404 with x-amz-delete-marker, 405 MethodNotAllowed when addressed); suspending gives new
 * writes the version id "null"; ListObjectVersions pages with KeyMarker/VersionIdMarker.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { bodyOf, etagOf, httpStatus, newBucket, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;

async function versionedBucket(label: string, Status: 'Enabled' | 'Suspended' = 'Enabled'): Promise<string> {
  const Bucket = await newBucket(s3(), label);
  await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
  return Bucket;
}

async function putVersion(Bucket: string, Key: string, Body: string): Promise<string> {
  const out = await s3().send(new PutObjectCommand({ Bucket, Key, Body }));
  expect(out.VersionId).toBeTruthy();
  return out.VersionId as string;
}

async function text(Bucket: string, Key: string, VersionId?: string): Promise<string> {
  return (await bodyOf(await s3().send(new GetObjectCommand({ Bucket, Key, VersionId })))).toString();
}

const METHOD_NOT_ALLOWED = s3Error('MethodNotAllowed', 405, {
  message: 'The specified method is not allowed against this resource.',
});

describe('bucket versioning state', () => {
  it('is unset on a new bucket, then Enabled, then Suspended', async () => {
    const Bucket = await newBucket(s3(), 'state');
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await s3().send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    await s3().send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');
  });
});

describe('versions', () => {
  it('keeps every put as a version, readable by id, the newest current', async () => {
    const Bucket = await versionedBucket('versions');
    const v1 = await putVersion(Bucket, 'doc', 'one');
    const v2 = await putVersion(Bucket, 'doc', 'two');
    expect(v2).not.toBe(v1);
    const current = await s3().send(new GetObjectCommand({ Bucket, Key: 'doc' }));
    expect(current.VersionId).toBe(v2);
    expect((await bodyOf(current)).toString()).toBe('two');
    expect(await text(Bucket, 'doc', v1)).toBe('one');
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'doc', VersionId: v1 }));
    expect(head).toMatchObject({ VersionId: v1, ETag: etagOf('one'), ContentLength: 3 });
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.ETag])).toEqual([
      ['doc', v2, true, etagOf('two')],
      ['doc', v1, false, etagOf('one')],
    ]);
  });

  it("answers a version id of another key's version with NoSuchVersion", async () => {
    const Bucket = await versionedBucket('no-such-version');
    const elsewhere = await putVersion(Bucket, 'other', 'x');
    await putVersion(Bucket, 'doc', 'y');
    await expect(
      s3().send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: elsewhere })),
    ).rejects.toMatchObject(
      s3Error('NoSuchVersion', 404, { message: 'The specified version does not exist.' }),
    );
  });

  it('deletes one version for good when DELETE names it', async () => {
    const Bucket = await versionedBucket('delete-version');
    const v1 = await putVersion(Bucket, 'doc', 'one');
    const v2 = await putVersion(Bucket, 'doc', 'two');
    const out = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'doc', VersionId: v2 }));
    expect(out.VersionId).toBe(v2);
    expect(out.DeleteMarker ?? false).toBe(false);
    const current = await s3().send(new GetObjectCommand({ Bucket, Key: 'doc' }));
    expect(current.VersionId).toBe(v1);
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1, true]]);
  });

  it('copies from a given version', async () => {
    const Bucket = await versionedBucket('copy-version');
    const v1 = await putVersion(Bucket, 'doc', 'first');
    await putVersion(Bucket, 'doc', 'second');
    const out = await s3().send(
      new CopyObjectCommand({ Bucket, Key: 'restored', CopySource: `${Bucket}/doc?versionId=${v1}` }),
    );
    expect(out.CopySourceVersionId).toBe(v1);
    expect(out.VersionId).toBeTruthy();
    expect(await text(Bucket, 'restored')).toBe('first');
  });
});

describe('delete markers', () => {
  it('hides the object behind a marker on a plain DELETE, keeping its versions', async () => {
    const Bucket = await versionedBucket('markers');
    const v1 = await putVersion(Bucket, 'doc', 'kept');
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'doc' }));
    expect(deleted.DeleteMarker).toBe(true);
    const marker = deleted.VersionId as string;
    expect(marker).toBeTruthy();

    const error = await s3()
      .send(new GetObjectCommand({ Bucket, Key: 'doc' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject(s3Error('NoSuchKey', 404));
    expect((error as { $response?: { headers: Record<string, string> } }).$response?.headers).toMatchObject({
      'x-amz-delete-marker': 'true',
    });
    await expect(s3().send(new HeadObjectCommand({ Bucket, Key: 'doc' }))).rejects.toMatchObject(
      httpStatus(404),
    );
    expect((await s3().send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    expect(await text(Bucket, 'doc', v1)).toBe('kept');

    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([
      ['doc', marker, true],
    ]);
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1, false]]);
  });

  it('answers GET and HEAD of a delete marker by id with 405 MethodNotAllowed', async () => {
    const Bucket = await versionedBucket('marker-405');
    await putVersion(Bucket, 'doc', 'x');
    const marker = (await s3().send(new DeleteObjectCommand({ Bucket, Key: 'doc' }))).VersionId as string;
    await expect(
      s3().send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: marker })),
    ).rejects.toMatchObject(METHOD_NOT_ALLOWED);
    await expect(
      s3().send(new HeadObjectCommand({ Bucket, Key: 'doc', VersionId: marker })),
    ).rejects.toMatchObject(httpStatus(405));
  });

  it('brings the object back when the marker itself is deleted', async () => {
    const Bucket = await versionedBucket('undelete');
    await putVersion(Bucket, 'doc', 'back again');
    const marker = (await s3().send(new DeleteObjectCommand({ Bucket, Key: 'doc' }))).VersionId as string;
    const out = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'doc', VersionId: marker }));
    expect(out.DeleteMarker).toBe(true);
    expect(out.VersionId).toBe(marker);
    expect(await text(Bucket, 'doc')).toBe('back again');
  });

  it('reports the markers DeleteObjects creates', async () => {
    const Bucket = await versionedBucket('batch-markers');
    await putVersion(Bucket, 'a', 'x');
    const out = await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'a' }] } }));
    expect(out.Deleted?.[0]).toMatchObject({ Key: 'a', DeleteMarker: true });
    expect(out.Deleted?.[0]?.DeleteMarkerVersionId).toBeTruthy();
  });
});

describe('suspended versioning', () => {
  it('writes the null version, replacing it on each put and keeping earlier versions', async () => {
    const Bucket = await versionedBucket('suspended');
    const v1 = await putVersion(Bucket, 'doc', 'versioned');
    await s3().send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    await s3().send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'null one' }));
    await s3().send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'null two' }));
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ['null', true],
      [v1, false],
    ]);
    expect(await text(Bucket, 'doc', 'null')).toBe('null two');
    expect(await text(Bucket, 'doc', v1)).toBe('versioned');
  });

  it('gives objects written before versioning was enabled the version id null', async () => {
    const Bucket = await newBucket(s3(), 'pre-versioning');
    await s3().send(new PutObjectCommand({ Bucket, Key: 'old', Body: 'before' }));
    await s3().send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v = await putVersion(Bucket, 'old', 'after');
    const listed = await s3().send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((x) => x.VersionId)).toEqual([v, 'null']);
    expect(await text(Bucket, 'old', 'null')).toBe('before');
  });
});

describe('ListObjectVersions paging', () => {
  it('pages versions with MaxKeys, NextKeyMarker and NextVersionIdMarker', async () => {
    const Bucket = await versionedBucket('version-pages');
    const ids = [];
    for (const body of ['1', '2', '3']) ids.push(await putVersion(Bucket, 'paged', body));
    await putVersion(Bucket, 'zeta', 'z');
    const first = await s3().send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Versions?.map((v) => v.VersionId)).toEqual([ids[2], ids[1]]);
    expect(first.NextKeyMarker).toBe('paged');
    expect(first.NextVersionIdMarker).toBe(ids[1]);
    const second = await s3().send(
      new ListObjectVersionsCommand({
        Bucket,
        MaxKeys: 2,
        KeyMarker: first.NextKeyMarker,
        VersionIdMarker: first.NextVersionIdMarker,
      }),
    );
    expect(second.KeyMarker).toBe('paged');
    expect(second.VersionIdMarker).toBe(ids[1]);
    expect(second.Versions?.map((v) => [v.Key, v.VersionId])).toEqual([
      ['paged', ids[0]],
      ['zeta', expect.any(String)],
    ]);
    expect(second.IsTruncated).toBe(false);
  });

  it('starts after a whole key with KeyMarker alone', async () => {
    const Bucket = await versionedBucket('key-marker');
    await putVersion(Bucket, 'a', '1');
    await putVersion(Bucket, 'a', '2');
    await putVersion(Bucket, 'b', '1');
    const out = await s3().send(new ListObjectVersionsCommand({ Bucket, KeyMarker: 'a' }));
    expect(out.Versions?.map((v) => v.Key)).toEqual(['b']);
  });
});
