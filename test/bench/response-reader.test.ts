import { describe, expect, it } from 'vitest';
import { ResponseReader } from '../../bench/drivers/response-reader.js';

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

describe('ResponseReader', () => {
  it('reads a Content-Length response that arrives in one piece', () => {
    const text = `${head(['HTTP/1.1 200 OK', 'content-type: text/xml', 'content-length: 5'])}<a/>\n`;
    expect(new ResponseReader().push(Buffer.from(text))).toEqual({
      status: 200,
      bytes: text.length,
      close: false,
    });
  });

  it('waits for the rest of a head and of a body split across chunks', () => {
    const text = `${head(['HTTP/1.1 404 Not Found', 'Content-Length: 10', 'Connection: close'])}0123456789`;
    const reader = new ResponseReader();
    expect(reader.push(Buffer.from(text.slice(0, 12)))).toBeUndefined();
    expect(reader.push(Buffer.from(text.slice(12, text.length - 3)))).toBeUndefined();
    expect(reader.push(Buffer.from(text.slice(text.length - 3)))).toEqual({
      status: 404,
      bytes: text.length,
      close: true,
    });
  });

  it('reads chunked bodies, with and without trailers', () => {
    const body = '4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n';
    const text = head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) + body;
    const reader = new ResponseReader();
    expect(reader.push(Buffer.from(text.slice(0, text.length - 2)))).toBeUndefined();
    expect(reader.push(Buffer.from('\r\n'))?.bytes).toBe(text.length);
    const trailed = `${head(['HTTP/1.1 200 OK', 'transfer-encoding: chunked'])}3\r\nabc\r\n0\r\nx-sum: 1\r\n\r\n`;
    expect(new ResponseReader().push(Buffer.from(trailed))?.bytes).toBe(trailed.length);
  });

  it('ends a HEAD response and a 204 at the head whatever Content-Length says', () => {
    const text = head(['HTTP/1.1 200 OK', 'Content-Length: 1234']);
    expect(new ResponseReader().push(Buffer.from(text), true)?.bytes).toBe(text.length);
    const noContent = head(['HTTP/1.1 204 No Content']);
    expect(new ResponseReader().push(Buffer.from(noContent))?.status).toBe(204);
  });

  it('keeps bytes past the end for the next response', () => {
    const one = `${head(['HTTP/1.1 200 OK', 'Content-Length: 2'])}ok`;
    const two = head(['HTTP/1.1 500 Internal Server Error', 'Content-Length: 0']);
    const reader = new ResponseReader();
    expect(reader.push(Buffer.from(one + two.slice(0, 10)))?.status).toBe(200);
    expect(reader.push(Buffer.from(two.slice(10)))?.status).toBe(500);
  });

  it('refuses what is not an HTTP response, and a body it cannot frame', () => {
    expect(() => new ResponseReader().push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP/);
    expect(() => new ResponseReader().push(Buffer.from(head(['HTTP/1.1 200 OK'])))).toThrow(/Content-Length/);
  });
});

describe('ResponseReader keeping bodies', () => {
  it('hands out the body of a Content-Length response, and a chunked one joined', () => {
    const reader = new ResponseReader({ keepBody: true });
    const plain = `${head(['HTTP/1.1 200 OK', 'Content-Length: 7'])}{"a":1}`;
    const chunked = `${head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'])}4\r\n{"b"\r\n3\r\n:2}\r\n0\r\n\r\n`;
    expect(reader.push(Buffer.from(plain))?.body?.toString()).toBe('{"a":1}');
    expect(reader.push(Buffer.from(chunked))?.body?.toString()).toBe('{"b":2}');
  });

  it('leaves bodies out unless asked', () => {
    const text = `${head(['HTTP/1.1 200 OK', 'Content-Length: 2'])}ok`;
    expect(new ResponseReader().push(Buffer.from(text))?.body).toBeUndefined();
  });
});
