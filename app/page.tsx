import { cookies } from "next/headers";
import Link from "next/link";
import { NewDocumentForm, type ModelOption } from "@/components/studio/NewDocumentForm";
import { RecentDocuments } from "@/components/studio/RecentDocuments";
import { getLibrary } from "@/lib/examples/library";
import { DEMO_MODEL_ID, DEMO_MODEL_LABEL } from "@/lib/examples/demo-model-id";
import { SETUP_INSTRUCTIONS } from "@/lib/generation/provider";
import { ACCESS_COOKIE, cookieHasAccess } from "@/lib/http/access";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** The master prompt's own examples come first. */
const SEED_TOPICS = ["Request Deduplication", "Circuit Breaker", "Rate Limiting"];

export default async function HomePage() {
  const studio = await getStudio();
  const { provider } = studio;
  const library = getLibrary();
  const demo = provider.kind === "none";
  const models: ModelOption[] = demo
    ? [{ id: DEMO_MODEL_ID, label: DEMO_MODEL_LABEL }]
    : provider.models.map((id) => ({ id, label: id }));
  const suggestions = demo ? library.map((example) => example.topic) : [...new Set([...SEED_TOPICS, ...library.map((example) => example.topic)])];
  const signedIn = cookieHasAccess((await cookies()).get(ACCESS_COOKIE)?.value, studio.config);

  return (
    <div style={{ display: "grid", gap: "2rem" }}>
      <section>
        <h1 style={{ marginTop: 0 }}>Generate a system design document</h1>
        <p className="hint">
          A deep, incident-ready document in 12 mandatory sections, streamed live, with a sidebar that checks each section
          as it arrives. Every document gets a permalink and downloads as Markdown.
        </p>
        {demo ? (
          <div className="alert alert-info setup" data-testid="setup-instructions">
            <strong>Demo mode.</strong> {provider.problem ?? "No model provider is configured, so Generate streams one of the team's example documents through the real pipeline."}
            <pre>{SETUP_INSTRUCTIONS}</pre>
          </div>
        ) : null}
        {signedIn && studio.config.accessToken ? (
          <form method="post" action="/api/session/signout" className="hint" data-testid="signed-in">
            Signed in with this server&apos;s access token.{" "}
            <button type="submit" className="button">
              Sign out
            </button>
          </form>
        ) : null}
        {signedIn ? (
          <NewDocumentForm models={models} suggestions={suggestions} demo={demo} defaultMode={demo ? null : studio.config.generationMode} />
        ) : (
          <div className="alert alert-info" data-testid="signin-required">
            This server requires an access token to generate documents. <Link href="/signin">Sign in</Link>
          </div>
        )}
      </section>

      <section id="examples">
        <h2>Examples</h2>
        <p className="hint">Written by the team to the master prompt&apos;s standard; each satisfies all 12 sections.</p>
        <ul className="doc-list">
          {library.map((example) => (
            <li key={example.slug}>
              <Link href={`/examples/${example.slug}`}>{example.topic}</Link>
              <span className="hint">{Math.round(example.markdown.length / 1024)} KB</span>
            </li>
          ))}
        </ul>
      </section>

      <RecentDocuments />
    </div>
  );
}
