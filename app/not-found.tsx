import Link from "next/link";
import { NOT_FOUND_COPY } from "@/components/not-found-copy";

export default function NotFound() {
  return (
    <div>
      <h1>{NOT_FOUND_COPY.title}</h1>
      <p>{NOT_FOUND_COPY.explanation}</p>
      <p>
        <Link href="/">{NOT_FOUND_COPY.homeLink}</Link>
      </p>
    </div>
  );
}
