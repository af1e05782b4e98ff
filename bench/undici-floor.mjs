/**
 * The floor under tailgate's engine: undici driven with nothing else. N keep-alive connections,
 * one undici Client each, the next GET sent from inside the previous response's callback (as
 * tailgate's virtual users do), no timing, no histograms, no journeys. Its rate is the most any
 * engine built on undici could reach here, so tailgate/undici-floor is the engine's own cost.
 *
 *   node bench/undici-floor.mjs URL CONNECTIONS SECONDS   -> prints {"requests","durationS","errors"}
 *
 * Loopback only; it stops by itself after SECONDS.
 */
import { Client } from 'undici';

const [url, connectionsText, secondsText] = process.argv.slice(2);
const target = new URL(url ?? '');
if (!['127.0.0.1', '[::1]', 'localhost'].includes(target.hostname)) {
  console.error(`undici-floor sends traffic to loopback only, not ${target.hostname}`);
  process.exit(2);
}
const connections = Number(connectionsText);
const durationMs = Number(secondsText) * 1000;

const request = { method: 'GET', path: target.pathname + target.search, headers: {}, body: null, headersTimeout: 10_000, bodyTimeout: 10_000 };
let requests = 0;
let errors = 0;
let sending = true;

class Loop {
  constructor(client) {
    this.client = client;
  }
  send() {
    this.client.dispatch(request, this);
  }
  onRequestStart() {}
  onResponseStart(_controller, status) {
    if (status >= 400) errors++;
  }
  onResponseData() {}
  onResponseEnd() {
    requests++;
    if (sending) this.send();
  }
  onResponseError() {
    errors++;
    if (sending) setImmediate(() => this.send());
  }
}

const clients = Array.from({ length: connections }, () => new Client(target.origin, { pipelining: 1, keepAliveTimeout: 10_000 }));
const started = process.hrtime.bigint();
for (const client of clients) new Loop(client).send();
setTimeout(async () => {
  sending = false;
  const durationS = Number(process.hrtime.bigint() - started) / 1e9;
  const counted = requests;
  await Promise.all(clients.map((client) => client.close()));
  console.log(JSON.stringify({ requests: counted, durationS, errors }));
}, durationMs);
