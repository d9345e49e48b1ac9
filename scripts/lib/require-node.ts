// Imported first by every script entry point: fail with one clear line instead of a syntax or
// API error deep inside a dependency when someone runs a script with an old system Node.
const MIN_MAJOR = 22;
const MIN_MINOR = 22;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MIN_MAJOR || (major === MIN_MAJOR && minor < MIN_MINOR)) {
  process.stderr.write(
    `kafkadog needs Node.js >= ${MIN_MAJOR}.${MIN_MINOR} (found v${process.versions.node}). ` +
      'Run it through npm (npm start, npm test), which uses the Node 24 that npm install puts in ' +
      'node_modules/.bin, or install Node 24 (nvm install 24).\n',
  );
  process.exit(1);
}

export {};
