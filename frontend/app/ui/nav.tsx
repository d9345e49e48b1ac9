'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/orders/new', label: 'New order' },
  { href: '/orders', label: 'Orders' },
  { href: '/analytics', label: 'Analytics' },
  { href: '/dlq', label: 'Dead letters' },
  { href: '/explorer', label: 'Topics' },
  { href: '/explorer/groups', label: 'Consumer groups' },
  { href: '/scenarios', label: 'Scenarios' },
] as const;

/** The link whose path is the longest prefix of the current one. */
function activeHref(pathname: string): string | null {
  let best: string | null = null;
  for (const { href } of LINKS) {
    const matches =
      href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
    if (matches && (best === null || href.length > best.length)) best = href;
  }
  return best;
}

export function SideNav() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const active = activeHref(pathname);

  useEffect(() => setOpen(false), [pathname]);

  return (
    <header className="sidebar">
      <div className="brand-row">
        <Link href="/" className="brand">
          <span aria-hidden="true" className="brand-mark">
            ▚
          </span>{' '}
          kafkadog
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls="primary-nav"
          onClick={() => setOpen((value) => !value)}
        >
          Menu
        </button>
      </div>
      <nav id="primary-nav" aria-label="Main" className={open ? 'nav open' : 'nav'}>
        <ul>
          {LINKS.map(({ href, label }) => (
            <li key={href}>
              <Link href={href} aria-current={active === href ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
