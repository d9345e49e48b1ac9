// `npm run kafka:start | kafka:stop | kafka:status | kafka:logs` (see --help).
// The Node version guard runs before anything else is even loaded, hence the dynamic import.
import './lib/require-node.js';

const { main } = await import('./kafka/cli.js');
process.exitCode = await main(process.argv.slice(2));
