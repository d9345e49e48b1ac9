// `npm run reset`: an empty local Kafka with the registry's topics (see --help).
import './lib/require-node.js';

const { main } = await import('./reset/cli.js');
process.exitCode = await main(process.argv.slice(2));
