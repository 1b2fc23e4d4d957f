import Link from "next/link";

export default function NotFound() {
  return (
    <div>
      <h1>Not found</h1>
      <p>There is no document at this address. Permalinks are long random ids: check that the link was copied whole.</p>
      <p>
        <Link href="/">Generate a new document</Link>
      </p>
    </div>
  );
}
