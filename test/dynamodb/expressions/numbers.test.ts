import { describe, expect, it } from 'vitest';
import {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  numberByteSize,
  subtractNumbers,
} from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const TOO_PRECISE = 'Attempting to store more than 38 significant digits in a Number';

describe('normalizeNumber', () => {
  it.each([
    ['1.50', '1.5'],
    ['0042.1200', '42.12'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['+7', '7'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1E3', '1000'],
    ['1e-3', '0.001'],
    ['-12.5e1', '-125'],
    ['0e125', '0'],
    ['1E125', `1${'0'.repeat(125)}`],
    ['1e-130', `0.${'0'.repeat(129)}1`],
    ['123456789012345678901234567890123456780000', '123456789012345678901234567890123456780000'],
    ['99999999999999999999999999999999999999', '99999999999999999999999999999999999999'],
  ])('%s is stored as %s', (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it.each([
    ['', 'The parameter cannot be converted to a numeric value'],
    ['b', 'The parameter cannot be converted to a numeric value: b'],
    ['1.2.3', 'The parameter cannot be converted to a numeric value: 1.2.3'],
    [' 1', 'The parameter cannot be converted to a numeric value:  1'],
    ['1e', 'The parameter cannot be converted to a numeric value: 1e'],
    ['.', 'The parameter cannot be converted to a numeric value: .'],
    ['1e9223372036854775808', 'The parameter cannot be converted to a numeric value: 1e9223372036854775808'],
    ['123456789012345678901234567890123456789', TOO_PRECISE],
    ['-1.23456789012345678901234567890123456789', TOO_PRECISE],
    ['1e126', OVERFLOW],
    ['-1e126', OVERFLOW],
    ['0e126', OVERFLOW],
    ['1e99999999999', OVERFLOW],
    ['1e2147483648', OVERFLOW],
    ['1e-131', UNDERFLOW],
    ['-1e-131', UNDERFLOW],
    ['0e-131', UNDERFLOW],
    ['1e-99999999999', UNDERFLOW],
  ])('%j is refused: %s', (input, message) => {
    expect(validationMessage(() => normalizeNumber(input))).toBe(message);
  });
});

describe('arithmetic', () => {
  it('adds and subtracts exactly', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(subtractNumbers('0.3', '0.1')).toBe('0.2');
    expect(subtractNumbers('100000000000000000000.00000001', '1')).toBe('99999999999999999999.00000001');
    expect(addNumbers('9007199254740993', '1')).toBe('9007199254740994');
    expect(addNumbers('-5', '5')).toBe('0');
    expect(addNumbers('1.50', '1')).toBe('2.5');
    expect(subtractNumbers('1', '3')).toBe('-2');
    expect(addNumbers('1e125', '1e125')).toBe(`2${'0'.repeat(125)}`);
  });

  it('refuses results DynamoDB cannot store', () => {
    expect(validationMessage(() => addNumbers('9.9e125', '9.9e125'))).toBe(OVERFLOW);
    expect(validationMessage(() => addNumbers('1e30', '1e-10'))).toBe(TOO_PRECISE);
    expect(validationMessage(() => addNumbers('x', '1'))).toBe(
      'The parameter cannot be converted to a numeric value: x',
    );
  });
});

describe('compareNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['10', '9', 1],
    ['-1', '1', -1],
    ['-10', '-9', -1],
    ['1.5', '1.50', 0],
    ['0', '-0', 0],
    ['1e2', '100', 0],
    ['0.001', '0.01', -1],
    ['12345678901234567890', '12345678901234567891', -1],
    ['-0.5', '-0.25', -1],
    ['99999999999999999999999999999999999999', '1e38', -1],
  ])('%s against %s is %d', (a, b, expected) => {
    expect(Math.sign(compareNumbers(a, b))).toBe(expected);
    expect(Math.sign(compareNumbers(b, a))).toBe(-expected || 0);
  });
});

describe('numberByteSize', () => {
  it.each([
    ['0', 1],
    ['1', 2],
    ['123456', 4],
    ['3.14159', 5],
    ['-1', 3],
    ['1E125', 2],
    ['0.001', 2],
  ])('%s costs %d bytes', (input, bytes) => {
    expect(numberByteSize(input)).toBe(bytes);
  });
});
