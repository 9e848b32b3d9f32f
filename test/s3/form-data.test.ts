import { describe, expect, it } from 'vitest';
import { boundaryOf, readForm } from '../../src/services/s3/form-data.js';

const BOUNDARY = '----formboundary42';
const KEY = 'uploads/$' + '{filename}';
const BODY = Buffer.from(
  [
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="key"',
    '',
    KEY,
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="Content-Type"',
    '',
    'text/plain',
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="file"; filename="notes.txt"',
    'Content-Type: text/plain',
    '',
    'line one\r\nline two with --- dashes\r\n',
    `--${BOUNDARY}`,
    'Content-Disposition: form-data; name="ignored"',
    '',
    'after the file',
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n'),
);

async function parse(pieces: Buffer[]) {
  const form = await readForm(
    (async function* () {
      yield* pieces;
    })(),
    BOUNDARY,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of form.file?.chunks ?? []) chunks.push(chunk);
  return {
    fields: Object.fromEntries(form.fields),
    file: form.file,
    content: Buffer.concat(chunks).toString(),
  };
}

describe('readForm', () => {
  it('reads the fields before the file and streams the file up to its boundary, however the bytes arrive', async () => {
    for (let cut = 0; cut <= BODY.length; cut += 7) {
      const out = await parse([BODY.subarray(0, cut), BODY.subarray(cut)]);
      expect(out.fields).toEqual({ key: KEY, 'Content-Type': 'text/plain' });
      expect(out.file).toMatchObject({ filename: 'notes.txt', contentType: 'text/plain' });
      expect(out.content).toBe('line one\r\nline two with --- dashes\r\n');
    }
  });

  it('gives a form without a file only its fields', async () => {
    const body = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${BOUNDARY}--`,
    );
    const out = await parse([body]);
    expect(out.fields).toEqual({ a: '1' });
    expect(out.file).toBeUndefined();
  });

  it('refuses a truncated body and fields over 20 KB', async () => {
    await expect(parse([BODY.subarray(0, 40)])).rejects.toMatchObject({ code: 'MalformedPOSTRequest' });
    const big = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\n${'x'.repeat(21 * 1024)}\r\n--${BOUNDARY}--`,
    );
    await expect(parse([big])).rejects.toMatchObject({ code: 'MaxPostPreDataLengthExceededError' });
  });

  it('finds the boundary of a multipart/form-data content type', () => {
    expect(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(boundaryOf('multipart/form-data; boundary="quoted one"')).toBe('quoted one');
    expect(boundaryOf('application/xml')).toBeUndefined();
  });
});
