/**
 * Finds where each HTTP/1.1 response ends on a keep-alive connection, with
 * the least work: the status, then Content-Length or chunked framing. Enough
 * for Envoy's answers; not a general HTTP client.
 */
export interface HttpResponseReader {
  /** Feeds bytes; returns the status of every response they completed, in order. */
  push(chunk: Buffer): number[];
}

const HEAD_END = Buffer.from("\r\n\r\n");
const LINE_END = Buffer.from("\r\n");

export function createHttpResponseReader(): HttpResponseReader {
  let buffer: Buffer = Buffer.alloc(0);
  // The current response, once its head has been read.
  let status = 0;
  let bodyStart = -1;
  let contentLength = -1;
  let chunked = false;
  let chunkCursor = 0;

  /** The index after the chunked body, or -1 while incomplete. */
  const chunkedEnd = (): number => {
    for (;;) {
      const lineEnd = buffer.indexOf(LINE_END, chunkCursor);
      if (lineEnd < 0) return -1;
      const size = Number.parseInt(buffer.toString("latin1", chunkCursor, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error("malformed chunk size");
      if (size === 0) {
        // No trailers from Envoy: the last chunk is followed by one empty line.
        const end = lineEnd + 4;
        return buffer.length >= end ? end : -1;
      }
      const next = lineEnd + 2 + size + 2;
      if (buffer.length < next) return -1;
      chunkCursor = next;
    }
  };

  return {
    push(chunk) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const done: number[] = [];
      for (;;) {
        if (bodyStart < 0) {
          const headEnd = buffer.indexOf(HEAD_END);
          if (headEnd < 0) return done;
          const head = buffer.toString("latin1", 0, headEnd).toLowerCase();
          // "HTTP/1.1 302 Found"
          status = Number(head.slice(9, 12));
          bodyStart = headEnd + 4;
          const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
          chunked = length === null && /\r\ntransfer-encoding:[^\r]*chunked/.test(head);
          contentLength = length === null ? (chunked ? -1 : 0) : Number(length[1]);
          chunkCursor = bodyStart;
        }
        const end = chunked
          ? chunkedEnd()
          : buffer.length >= bodyStart + contentLength
            ? bodyStart + contentLength
            : -1;
        if (end < 0) return done;
        done.push(status);
        buffer = buffer.subarray(end);
        bodyStart = -1;
      }
    },
  };
}
