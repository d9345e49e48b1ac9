import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
