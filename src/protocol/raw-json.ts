/**
 * A value a service already holds as JSON text in its wire form: the JSON writers put the
 * text into the output as it is, where they would otherwise walk the value by its shape.
 * The service vouches for the text (valid JSON, the shape's wire form); the codec checks
 * nothing, which is the point.
 */
export class RawJson {
  constructor(readonly text: string) {}
}
