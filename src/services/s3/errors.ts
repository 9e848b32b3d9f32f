/** The S3 errors several areas raise, in AWS's codes, statuses, words and body fields. */
import { AwsError } from '../../errors.js';

export function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, {
    fields: { BucketName: bucket },
  });
}

export function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });
}

export function noSuchVersion(key: string, versionId: string): AwsError {
  return new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, {
    fields: { Key: key, VersionId: versionId },
  });
}

export function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { fields: { UploadId: uploadId } },
  );
}

export function accessDenied(): AwsError {
  return new AwsError('AccessDenied', 'Access Denied', 403);
}

export function invalidArgument(message: string, name?: string, value?: unknown): AwsError {
  const fields = name === undefined ? {} : { ArgumentName: name, ArgumentValue: value };
  return new AwsError('InvalidArgument', message, 400, { fields });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}

export function preconditionFailed(condition: string): AwsError {
  return new AwsError(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    412,
    {
      fields: { Condition: condition },
    },
  );
}

export function malformedXml(): AwsError {
  return new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}

export function badDigest(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('BadDigest', message, 400, { fields });
}

/** The configuration a bucket does not have (GetBucketCors without CORS...). */
export function noSuchConfiguration(code: string, message: string, bucket: string): AwsError {
  return new AwsError(code, message, 404, { fields: { BucketName: bucket } });
}

/** A read of a delete marker: by key it is a missing key, by version id a method it does not allow. */
export function deleteMarkerError(
  key: string,
  marker: { version_id: string; modified_at: number },
  byVersion: boolean,
  method: string,
): AwsError {
  const headers: Record<string, string> = {
    'x-amz-delete-marker': 'true',
    'x-amz-version-id': marker.version_id,
  };
  if (!byVersion)
    return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, {
      fields: { Key: key },
      headers,
    });
  headers.allow = 'DELETE';
  headers['last-modified'] = new Date(marker.modified_at).toUTCString();
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
    fields: { Method: method, ResourceType: 'DeleteMarker' },
    headers,
  });
}
