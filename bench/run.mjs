// `npm run bench`: tailgate's load engine against autocannon and wrk on the same loopback target.
import { main } from './bench-main.mjs';

process.exitCode = await main(process.argv.slice(2));
