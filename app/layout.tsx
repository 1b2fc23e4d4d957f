import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: "Design Doc Studio",
  description: "Deep, incident-ready system design documents, streamed live with a section-by-section compliance check.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="site-title">
            Design Doc Studio
          </Link>
          <nav className="site-nav">
            <Link href="/#examples">Examples</Link>
            <Link href="/#recent">Recent</Link>
          </nav>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
