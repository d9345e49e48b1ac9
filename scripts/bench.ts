// `npm run bench`: load-tests the stack on a broker of its own and writes bench/results/.
import './lib/require-node.js';

const { main } = await import('./bench/cli.js');
process.exitCode = await main(process.argv.slice(2));
