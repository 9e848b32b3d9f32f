import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/model.js';
import { route } from '../../src/protocol/route.js';
import { TARGET_PREFIXES } from '../../src/services/registry.js';

const base = { method: 'GET', path: '/', host: 'localhost:4566', headers: {} };

describe('route', () => {
  it('finds awsJson services by X-Amz-Target', () => {
    expect(
      route({ ...base, method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' } }),
    ).toEqual({
      service: 'dynamodb',
      protocol: 'awsJson1_0',
      path: '/',
    });
    expect(route({ ...base, headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord' } })).toEqual({
      unknownService: 'Kinesis_20131202.PutRecord',
    });
  });

  it('every target prefix matches its model', () => {
    for (const [prefix, id] of Object.entries(TARGET_PREFIXES))
      expect(loadModel(id).targetPrefix).toBe(prefix);
  });

  it('uses the credential scope, and query for SQS when the request has an Action', () => {
    expect(route({ ...base, scopeService: 'sts', action: 'GetCallerIdentity' })).toMatchObject({
      service: 'sts',
      protocol: 'awsQuery',
    });
    expect(route({ ...base, scopeService: 'sqs', action: 'SendMessage' })).toMatchObject({
      protocol: 'awsQuery',
    });
    expect(route({ ...base, scopeService: 'sqs' })).toMatchObject({ protocol: 'awsJson1_0' });
    expect(route({ ...base, scopeService: 'ec2', action: 'RunInstances' })).toMatchObject({
      protocol: 'ec2Query',
    });
    expect(route({ ...base, scopeService: 'lambda' })).toMatchObject({ protocol: 'restJson1' });
    expect(route({ ...base, scopeService: 'kinesis' })).toEqual({ unknownService: 'kinesis' });
  });

  it('finds an unsigned query request by its Action', () => {
    expect(route({ ...base, action: 'Publish' })).toMatchObject({ service: 'sns', protocol: 'awsQuery' });
    expect(route({ ...base, action: 'DescribeInstances' })).toMatchObject({ service: 'ec2' });
  });

  it('takes the S3 bucket from the path or the virtual host', () => {
    expect(route({ ...base, path: '/my-bucket/a/b%20c', scopeService: 's3' })).toEqual({
      service: 's3',
      protocol: 'restXml',
      path: '/a/b%20c',
      boundLabels: { Bucket: 'my-bucket' },
    });
    expect(route({ ...base, path: '/my-bucket' })).toMatchObject({
      path: '/',
      boundLabels: { Bucket: 'my-bucket' },
    });
    expect(route({ ...base, path: '/' })).toEqual({ service: 's3', protocol: 'restXml', path: '/' });
    for (const host of [
      'my-bucket.localhost:4566',
      'my-bucket.s3.localhost.localstack.cloud',
      'my-bucket.s3.us-west-2.amazonaws.com',
    ]) {
      expect(route({ ...base, host, path: '/key' })).toMatchObject({
        path: '/key',
        boundLabels: { Bucket: 'my-bucket' },
      });
    }
    expect(route({ ...base, host: 's3.localhost', path: '/b/k' })).toMatchObject({
      boundLabels: { Bucket: 'b' },
    });
  });
});
