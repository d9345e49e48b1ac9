import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The workspace root holds the lockfile; tracing from there keeps Next from guessing.
  outputFileTracingRoot: new URL('..', import.meta.url).pathname,
};

export default nextConfig;
