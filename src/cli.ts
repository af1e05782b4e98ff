import './cli/supported-node.js'; // first: the imports below need Node.js 24
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
