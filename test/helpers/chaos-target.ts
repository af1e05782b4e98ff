import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A misbehaving HTTP target on 127.0.0.1, one raw TCP server (so it can break HTTP in ways
 * node:http will not), its behaviour chosen by the request path:
 *
 * | path | what it does |
 * | --- | --- |
 * | `/ok` (and anything unknown) | 200 with a small JSON body, keep-alive |
 * | `/reset` | resets the connection (RST) instead of answering |
 * | `/hang` | reads the request, never answers |
 * | `/drip` | 200 with a 10-byte body sent one byte every 30 ms |
 * | `/huge` | 200 with a 50 MiB body (content-length), written as fast as the reader takes it |
 * | `/garbage` | bytes that are not HTTP, then closes |
 * | `/bad-chunked` | 200, chunked, with a chunk size that is not hexadecimal |
 * | `/early-close` | 200 announcing 100 bytes, sends 10, closes |
 * | `/informational` | `100 Continue` and `103 Early Hints`, then a 200 |
 * | `/redirect` | 302 to the other origin (`elsewhere`), which counts every request it gets |
 *
 * `arrivals()` counts requests by path; `elsewhere.arrivals()` must stay 0: nothing is followed.
 */
export interface ChaosTarget {
  url: string;
  arrivals(): Record<string, number>;
  elsewhere: { url: string; arrivals(): number };
  close(): Promise<void>;
}

const JSON_BODY = '{"id":7}';
const HUGE_BYTES = 50 * 1024 * 1024;
const HUGE_CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function startChaosTarget(): Promise<ChaosTarget> {
  const arrivals: Record<string, number> = Object.create(null) as Record<string, number>;
  let elsewhereArrivals = 0;
  const elsewhere = await listen((socket) => {
    socket.on('data', () => {
      elsewhereArrivals++;
      socket.end(response(200, 'landed'));
    });
  });
  const chaos = await listen((socket) => {
    let buffered = '';
    const onData = (data: Buffer): void => {
      buffered += data.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const path = (buffered.slice(0, end).split(' ')[1] ?? '/').split('?')[0] as string;
        buffered = buffered.slice(end + 4);
        arrivals[path] = (arrivals[path] ?? 0) + 1;
        behave(path, socket, elsewhere.url);
      }
    };
    socket.on('data', onData);
  });
  return {
    url: chaos.url,
    arrivals: () => ({ ...arrivals }),
    elsewhere: { url: elsewhere.url, arrivals: () => elsewhereArrivals },
    close: async () => {
      await Promise.all([chaos.close(), elsewhere.close()]);
    },
  };
}

function behave(path: string, socket: Socket, elsewhereUrl: string): void {
  switch (path) {
    case '/reset':
      return void socket.resetAndDestroy();
    case '/hang':
      return;
    case '/drip': {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 10\r\n\r\n');
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write('d');
        if (++sent === 10) clearInterval(timer);
      }, 30);
      return;
    }
    case '/huge':
      return writeHuge(socket);
    case '/garbage':
      return void socket.end(Buffer.from([0x00, 0xff, 0x13, 0x37, ...Buffer.from('NOT HTTP AT ALL\r\n\r\n')]));
    case '/bad-chunked':
      return void socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    case '/early-close':
      return void socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n0123456789');
    case '/informational':
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write('HTTP/1.1 103 Early Hints\r\nlink: </app.css>; rel=preload\r\n\r\n');
      return void setTimeout(() => socket.destroyed || socket.write(response(200, JSON_BODY)), 5);
    case '/redirect':
      return void socket.write(`HTTP/1.1 302 Found\r\nlocation: ${elsewhereUrl}/landing\r\ncontent-length: 0\r\n\r\n`);
    default:
      return void socket.write(response(200, JSON_BODY));
  }
}

function response(status: number, body: string): string {
  return `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Other'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function writeHuge(socket: Socket): void {
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: ${HUGE_BYTES}\r\n\r\n`);
  let left = HUGE_BYTES;
  const more = (): void => {
    while (left > 0 && !socket.destroyed) {
      const chunk = left >= HUGE_CHUNK.length ? HUGE_CHUNK : HUGE_CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', more);
    }
  };
  more();
}

async function listen(onConnection: (socket: Socket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
