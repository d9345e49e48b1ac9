// `npm run seed`: places demo orders through the running gateway (see --help).
import './lib/require-node.js';

const { main } = await import('./seed/cli.js');
process.exitCode = await main(process.argv.slice(2));
