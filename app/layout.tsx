import type { Metadata } from "next";
import Link from "next/link";
import { THEME_BOOT_SCRIPT } from "@/components/theme/theme-preference";
import { ThemeSelect } from "@/components/theme/ThemeSelect";
import "./globals.css";

export const metadata: Metadata = {
  title: "Design Doc Studio",
  description: "Deep, incident-ready system design documents, streamed live with a section-by-section compliance check.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The boot script may set data-theme before React hydrates <html>.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="site-title">
            Design Doc Studio
          </Link>
          <nav className="site-nav">
            <Link href="/#examples">Examples</Link>
            <Link href="/#recent">Recent</Link>
          </nav>
          <div className="site-tools">
            <ThemeSelect />
          </div>
        </header>
        <main className="site-main" id="main">{children}</main>
      </body>
    </html>
  );
}
