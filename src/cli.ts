import './cli/supported-node.js'; // first: the imports below need Node.js 22.19 or newer
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
