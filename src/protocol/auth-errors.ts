/** Authentication failures, in each service family's codes and words. */
import { AwsError } from '../errors.js';
import type { ErrorStyle, PresignParams } from './auth.js';
import { formatAmzDate } from './sigv4.js';

/** How far a signed request's time may be from the server clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

type Spec = readonly [code: string, status: number, message: string];

const EC2_AUTH_FAILURE: Spec = [
  'AuthFailure',
  401,
  'AWS was not able to validate the provided access credentials',
];
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const NO_TOKEN = 'Request is missing Authentication Token';
const V4_ONLY =
  'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

function styled(
  style: ErrorStyle,
  specs: Record<ErrorStyle, Spec>,
  s3Fields?: Record<string, unknown>,
): AwsError {
  const [code, status, message] = specs[style];
  return new AwsError(code, message, status, style === 's3' && s3Fields ? { fields: s3Fields } : {});
}

/** Malformed authentication: S3 has its own code; the others all say IncompleteSignature. */
function incomplete(style: ErrorStyle, s3: Spec, message: string): AwsError {
  return styled(style, {
    s3,
    query: ['IncompleteSignature', 400, message],
    json: ['IncompleteSignatureException', 400, message],
    ec2: ['IncompleteSignature', 400, message],
  });
}

export function requirementsMessage(
  authorization: string,
  missing: { credential: boolean; signedHeaders: boolean; signature: boolean; date: boolean },
): string {
  let message = '';
  if (missing.credential) message += "Authorization header requires 'Credential' parameter. ";
  if (missing.signature) message += "Authorization header requires 'Signature' parameter. ";
  if (missing.signedHeaders) message += "Authorization header requires 'SignedHeaders' parameter. ";
  if (missing.date)
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  return `${message}Authorization=${authorization}`;
}

export function headerMalformedError(style: ErrorStyle, message: string): AwsError {
  const s3Message =
    'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.';
  return incomplete(style, ['AuthorizationHeaderMalformed', 400, s3Message], message);
}

export function queryMalformedError(style: ErrorStyle, message: string): AwsError {
  return incomplete(style, ['AuthorizationQueryParametersError', 400, message], message);
}

export function credentialMalformedError(
  style: ErrorStyle,
  credential: string,
  presigned: boolean,
): AwsError {
  const expecting =
    'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
  const s3: Spec = presigned
    ? ['AuthorizationQueryParametersError', 400, `Error parsing the X-Amz-Credential parameter; ${expecting}`]
    : ['AuthorizationHeaderMalformed', 400, `The authorization header is malformed; ${expecting}`];
  const message = `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`;
  return incomplete(style, s3, message);
}

export function missingDateError(style: ErrorStyle, authorization: string): AwsError {
  const missing = { credential: false, signedHeaders: false, signature: false, date: true };
  const s3: Spec = ['AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header'];
  return incomplete(style, s3, requirementsMessage(authorization, missing));
}

export function unsupportedSchemeError(style: ErrorStyle, authorization: string | undefined): AwsError {
  const all = { credential: true, signedHeaders: true, signature: true, date: false };
  const message = authorization === undefined ? V4_ONLY : requirementsMessage(authorization, all);
  return incomplete(style, ['InvalidRequest', 400, V4_ONLY], message);
}

export function missingAuthError(style: ErrorStyle): AwsError {
  return styled(style, {
    s3: ['AccessDenied', 403, 'Access Denied'],
    query: ['MissingAuthenticationToken', 403, NO_TOKEN],
    json: ['MissingAuthenticationTokenException', 400, NO_TOKEN],
    ec2: ['MissingAuthenticationToken', 401, 'The request must contain valid credentials.'],
  });
}

export function unknownKeyError(style: ErrorStyle, accessKeyId: string): AwsError {
  const specs: Record<ErrorStyle, Spec> = {
    s3: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    query: ['InvalidClientTokenId', 403, INVALID_TOKEN],
    json: ['UnrecognizedClientException', 400, INVALID_TOKEN],
    ec2: EC2_AUTH_FAILURE,
  };
  return styled(style, specs, { AWSAccessKeyId: accessKeyId });
}

export function signatureMismatchError(
  style: ErrorStyle,
  accessKeyId: string,
  canonical: string,
  toSign: string,
  provided: string,
): AwsError {
  const detail =
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
    `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`;
  const specs: Record<ErrorStyle, Spec> = {
    s3: [
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ],
    query: ['SignatureDoesNotMatch', 403, detail],
    json: ['InvalidSignatureException', 400, detail],
    ec2: EC2_AUTH_FAILURE,
  };
  const fields = {
    AWSAccessKeyId: accessKeyId,
    StringToSign: toSign,
    SignatureProvided: provided,
    CanonicalRequest: canonical,
  };
  return styled(style, specs, fields);
}

export function credentialDateError(
  style: ErrorStyle,
  scopeDate: string,
  amzDate: string,
  presigned: boolean,
): AwsError {
  const day = amzDate.slice(0, 8);
  const message = `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${day}', from '${amzDate}'.`;
  const s3: Spec = presigned
    ? [
        'AuthorizationQueryParametersError',
        400,
        `Invalid credential date "${scopeDate}". This date is not the same as X-Amz-Date: "${day}".`,
      ]
    : [
        'AuthorizationHeaderMalformed',
        400,
        'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.',
      ];
  return styled(style, {
    s3,
    query: ['SignatureDoesNotMatch', 403, message],
    json: ['InvalidSignatureException', 400, message],
    ec2: EC2_AUTH_FAILURE,
  });
}

/** A request dated outside its window: `windowMs` either side of the server clock. */
export function signatureTimeError(
  style: ErrorStyle,
  amzDate: string,
  time: number,
  now: number,
  windowMs: number,
): AwsError {
  const span = windowMs % 60000 === 0 ? `${windowMs / 60000} min.` : `${windowMs / 1000} sec.`;
  const message =
    time < now
      ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - windowMs)} (${formatAmzDate(now)} - ${span})`
      : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + windowMs)} (${formatAmzDate(now)} + ${span})`;
  const specs: Record<ErrorStyle, Spec> = {
    s3: [
      'RequestTimeTooSkewed',
      403,
      'The difference between the request time and the current time is too large.',
    ],
    query: ['SignatureDoesNotMatch', 403, message],
    json: ['InvalidSignatureException', 400, message],
    ec2: ['RequestExpired', 400, 'Request has expired.'],
  };
  return styled(style, specs, {
    RequestTime: amzDate,
    ServerTime: isoSeconds(now),
    MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
  });
}

/** An expired (or not yet valid) presigned URL: S3 denies access, other services report
 * the signature's date as outside its window. */
export function presignTimeError(style: ErrorStyle, params: PresignParams, now: number): AwsError {
  const early = params.time - now > MAX_SKEW_MS;
  if (style !== 's3') {
    return signatureTimeError(
      style,
      params.amzDate,
      params.time,
      now,
      early ? MAX_SKEW_MS : params.expires * 1000,
    );
  }
  const fields = {
    'X-Amz-Expires': params.expires,
    Expires: isoSeconds(params.time + params.expires * 1000),
    ServerTime: isoSeconds(now),
  };
  return new AwsError('AccessDenied', early ? 'Request is not yet valid' : 'Request has expired', 403, {
    fields,
  });
}

export function sigV2ExpiredError(style: ErrorStyle, expiresAt: number, now: number): AwsError {
  if (style !== 's3') return signatureTimeError(style, formatAmzDate(expiresAt), expiresAt, now, 0);
  const fields = { Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) };
  return new AwsError('AccessDenied', 'Request has expired', 403, { fields });
}

export function payloadMismatchError(declared: string, actual: string): AwsError {
  return new AwsError(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    400,
    {
      fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual },
    },
  );
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** A request signed with STS session credentials whose session has ended. */
export function expiredTokenError(style: ErrorStyle): AwsError {
  const message = 'The security token included in the request is expired';
  return styled(style, {
    s3: ['ExpiredToken', 400, 'The provided token has expired.'],
    query: ['ExpiredToken', 403, message],
    json: ['ExpiredTokenException', 400, message],
    ec2: ['RequestExpired', 400, 'Request has expired.'],
  });
}
