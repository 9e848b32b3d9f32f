/** Which account an access key acts in, when nothing (an STS session) says otherwise. */
export const DEFAULT_ACCOUNT = '000000000000';
const ACCOUNT_ID = /^\d{12}$/;

/** A 12-digit access key id is taken as the account id itself, so tests can pick accounts. */
export function accountForAccessKey(accessKeyId: string): string {
  return ACCOUNT_ID.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}
