/**
 * An error in a filter policy, with the position Jackson reports for it. SNS parses policies with
 * Jackson, whose exception message ends in "\n at [Source: ...; line: L, column: C]"; since
 * Jackson 2.16 the source text itself is redacted from that location, as AWS now answers.
 */
const REDACTED_SOURCE = 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';

export function describeLocation(line: number, column: number): string {
  return `[Source: ${REDACTED_SOURCE}; line: ${line}, column: ${column}]`;
}

export class LocatedError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, line?: number, column?: number) {
    super(message);
    this.name = 'LocatedError';
    this.line = line;
    this.column = column;
  }

  /** The message as Jackson's JsonProcessingException.getMessage() writes it. */
  get jacksonMessage(): string {
    if (this.line === undefined || this.column === undefined) return this.message;
    return `${this.message}\n at ${describeLocation(this.line, this.column)}`;
  }
}
