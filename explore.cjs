const s = require('@aws-sdk/client-s3');
const { NormalizedSchema } = require('@smithy/core/schema');
const op = s.PutObject$;
console.log(op);
const ns = NormalizedSchema.of(op[4]);
for (const [name, m] of ns.structIterator()) {
  console.log(
    name,
    JSON.stringify(m.getMergedTraits()),
    m.isStringSchema(),
    m.isNumericSchema(),
    m.isTimestampSchema(),
    m.isBlobSchema(),
    m.isStreaming(),
    m.isMapSchema(),
    m.getName(),
  );
}
const o = NormalizedSchema.of(s.ListObjectsV2$[5]);
for (const [name, m] of o.structIterator())
  console.log(
    name,
    JSON.stringify(m.getMergedTraits()),
    m.getName(),
    m.isListSchema() && JSON.stringify(m.getValueSchema().getMergedTraits()),
    m.isListSchema() && m.getValueSchema().getName(),
  );
console.log(s.NoSuchKey$, s.InvalidObjectState$);
