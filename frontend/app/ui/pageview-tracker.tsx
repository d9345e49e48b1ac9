'use client';

import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { sendPageview } from '../lib/actions';
import { useApiUrl } from '../lib/hooks';

const SESSION_KEY = 'kafkadog.session';

function sessionId(): string {
  let id = window.sessionStorage.getItem(SESSION_KEY);
  if (!id) {
    id = crypto.randomUUID();
    window.sessionStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

/** Sends a PageViewed through the gateway on each navigation: the dashboard is its own traffic. */
export function PageviewTracker() {
  const pathname = usePathname();
  const base = useApiUrl();
  useEffect(() => {
    if (!pathname || !base) return;
    sendPageview(base, { page: pathname.slice(0, 256), sessionId: sessionId() }).catch(() => {
      // Analytics is best effort: a page works without it.
    });
  }, [pathname, base]);
  return null;
}
