import Link from 'next/link';
import type { ReactNode } from 'react';

export function PageHeader({
  title,
  lead,
  back,
  actions,
}: {
  title: ReactNode;
  lead?: ReactNode;
  back?: { href: string; label: string };
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        {back ? (
          <p className="breadcrumb">
            <Link href={back.href}>← {back.label}</Link>
          </p>
        ) : null}
        <h1>{title}</h1>
        {lead ? <p className="lead">{lead}</p> : null}
      </div>
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}
