/**
 * The integer arguments S3 reads from query strings and headers (max-keys, max-parts,
 * part-number-marker, partNumber...), refused in AWS's words. The protocol parses `2.5` or
 * `1e12` as numbers (text that is no number at all it refuses itself), so a value that is not
 * a 32-bit integer is refused here, before its range is judged.
 */
import { invalidArgument } from './errors.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MAX_PART_NUMBER = 10000;
const MAX_PAGE = 1000;

export function int32Argument(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)) {
    throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  }
  return value;
}

/** A page size of parts or uploads (max-parts, max-uploads): at most 1000, whatever is asked. */
export function pageSizeOf(given: number | undefined, name: string): number {
  const value = int32Argument(given, name);
  if (value === undefined) return MAX_PAGE;
  if (value < 0)
    throw invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, value);
  return Math.min(value, MAX_PAGE);
}

/** A part-number-marker (a string in the model): 0 when absent. */
export function partNumberMarkerOf(value: string | undefined): number {
  const marker = Number(value ?? 0);
  if (!Number.isInteger(marker) || marker < 0 || marker > INT32_MAX) {
    throw invalidArgument(
      'Argument part-number-marker must be an integer between 0 and 2147483647',
      'part-number-marker',
      value,
    );
  }
  return marker;
}

/** A partNumber, of an upload's part or of a read: 1 to 10000. */
export function partNumberOf(n: number | undefined): number {
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', n);
  }
  return n;
}
