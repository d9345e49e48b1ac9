// `npm run replay`: replays consumer groups through the running gateway (see --help).
import './lib/require-node.js';

const { main } = await import('./replay/cli.js');
process.exitCode = await main(process.argv.slice(2));
