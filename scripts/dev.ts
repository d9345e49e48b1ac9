// `npm run dev`: the stack of `npm start` in watch mode (see --help).
import './lib/require-node.js';

const { main } = await import('./start/cli.js');
process.exitCode = await main(process.argv.slice(2), 'dev');
