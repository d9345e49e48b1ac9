// `npm start`: Kafka (unless KAFKA_BROKERS is set), the topics, then every service (see --help).
import './lib/require-node.js';

const { main } = await import('./start/cli.js');
process.exitCode = await main();
