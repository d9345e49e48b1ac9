// `npm run topics:create`: creates the registry's topics; reports what exists and any mismatch.
import './lib/require-node.js';

const { main } = await import('./topics/cli.js');
process.exitCode = await main();
