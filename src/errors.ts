/**
 * The one error type a service throws. The protocol layer writes it in the shape its
 * protocol uses (S3 `<Error>`, query `<ErrorResponse>`, EC2 `<Response><Errors>`, JSON
 * `__type`). `code` is the model's error shape name when the error is modelled (the
 * protocol maps it to e.g. the awsQuery code), or AWS's plain code otherwise.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra members written into the error body (S3's BucketName, DynamoDB's Item, ...). */
  readonly fields: Record<string, unknown>;
  /** Extra response headers (e.g. S3's x-amz-delete-marker on a 404). */
  readonly headers: Record<string, string>;
  /** Query protocols write Sender or Receiver; 5xx errors are the receiver's fault. */
  get senderFault(): boolean {
    return this.status < 500;
  }

  constructor(
    code: string,
    message: string,
    status = 400,
    extra: { fields?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fields = extra.fields ?? {};
    this.headers = extra.headers ?? {};
  }
}

/** Anything not an AwsError becomes AWS's generic 500, without leaking a stack trace. */
export function toAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  return new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
}
