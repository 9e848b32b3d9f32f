/**
 * A scalar shape's value read from the text it travels in: an XML element or attribute, or a
 * REST header, query parameter or label. Strings stay with the caller, since each location
 * treats them its own way (a media-typed header string is base64).
 */
import type { ShapeDef } from './model.js';
import { parseBase64, parseBoolean, parseNumber, parseTimestamp } from './scalar-text.js';

/** The value of a number, boolean, timestamp or blob shape, surrounding whitespace ignored, or
 * undefined when the text is no value of the type; the value of any other shape is the text. */
export function parseScalar(type: ShapeDef['type'], text: string): unknown {
  switch (type) {
    case 'number':
    case 'bigInteger':
    case 'bigDecimal':
      return parseNumber(text.trim());
    case 'boolean':
      return parseBoolean(text.trim());
    case 'timestamp':
      return parseTimestamp(text.trim());
    case 'blob':
      return parseBase64(text.trim());
    default:
      return text;
  }
}
