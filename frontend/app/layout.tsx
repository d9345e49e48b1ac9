import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { browserApiUrl } from './lib/server';
import { Providers } from './providers';
import { SideNav } from './ui/nav';
import './globals.css';

// API_URL is read per request, never baked into the build.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'kafkadog', template: '%s · kafkadog' },
  description:
    'Watch every order flow through Kafka, explore the topics and groups, run the scenarios.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  const apiUrl = browserApiUrl();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers apiUrl={apiUrl}>
          <div className="shell">
            <SideNav />
            <main id="main" className="content" tabIndex={-1}>
              {children}
            </main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
