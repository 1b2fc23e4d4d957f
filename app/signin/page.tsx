import { safeRedirectPath } from "@/lib/http/safe-redirect";

export const metadata = { title: "Sign in — Design Doc Studio" };

type PageProps = { searchParams: Promise<{ next?: string; error?: string }> };

export default async function SignInPage({ searchParams }: PageProps) {
  const { next, error } = await searchParams;
  return (
    <div style={{ maxWidth: 480 }}>
      <h1>Sign in</h1>
      <p className="hint">This server requires its access token (ACCESS_TOKEN) to generate documents.</p>
      {error ? (
        <div className="alert alert-error" role="alert">
          That token is not right.
        </div>
      ) : null}
      <form method="post" action="/api/session" className="create-form">
        <label htmlFor="token">Access token</label>
        <input id="token" name="token" type="password" autoComplete="current-password" required className="create-row" style={{ padding: "0.5rem" }} />
        <input type="hidden" name="next" value={safeRedirectPath(next)} />
        <button type="submit" className="button button-primary">
          Sign in
        </button>
      </form>
    </div>
  );
}
