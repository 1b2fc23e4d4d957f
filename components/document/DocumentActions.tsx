"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteDocument, documentAction, documentApiPath, documentPath, type PublicDocument } from "@/lib/client/studio-api";
import { forgetDocument } from "@/components/studio/recent-documents-storage";
import type { DocumentAction } from "@/lib/documents/paths";
import { isRunningStatus, RESUMABLE_STATUSES, type DocumentStatus } from "@/lib/documents/types";
import { ActionProblem, usePendingAction } from "./pending-action";

interface DocumentActionsProps {
  id: string;
  status: DocumentStatus;
  /** Some section is incomplete or missing: offer "Repair all". */
  canRepair?: boolean;
  onStopped(document: PublicDocument): void;
  onRestarted(document: PublicDocument): void;
}

export function DocumentActions({ id, status, canRepair = false, onStopped, onRestarted }: DocumentActionsProps) {
  const router = useRouter();
  const { busy, problem, run: runPending } = usePendingAction<DocumentAction | "delete">();
  const [copied, setCopied] = useState(false);

  const run = (action: DocumentAction) =>
    runPending(action, async () => {
      const document = await documentAction(id, action);
      if (action === "cancel") onStopped(document);
      else onRestarted(document);
    });

  const remove = async () => {
    if (!window.confirm("Delete this document for everyone with the link? This cannot be undone.")) return;
    // Its buttons stay disabled while the page goes home.
    await runPending(
      "delete",
      async () => {
        await deleteDocument(id);
        forgetDocument(id);
        router.push("/");
      },
      { holdOnSuccess: true },
    );
  };

  const copyLink = async () => {
    const url = `${window.location.origin}${documentPath(id)}`;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      window.prompt("Copy this link:", url);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  };

  const resumable = RESUMABLE_STATUSES.includes(status);
  return (
    <div className="doc-toolbar" data-testid="document-actions">
      {isRunningStatus(status) ? (
        <button type="button" className="button button-danger" onClick={() => run("cancel")} disabled={busy !== null}>
          {busy === "cancel" ? "Stopping…" : "Stop"}
        </button>
      ) : null}
      {resumable ? (
        <button type="button" className="button button-primary" onClick={() => run("continue")} disabled={busy !== null}>
          {busy === "continue" ? "Continuing…" : "Continue"}
        </button>
      ) : null}
      {!isRunningStatus(status) ? (
        <button type="button" className="button" onClick={() => run("retry")} disabled={busy !== null}>
          {busy === "retry" ? "Restarting…" : status === "complete" ? "Regenerate" : "Retry"}
        </button>
      ) : null}
      {status === "complete" && canRepair ? (
        <button type="button" className="button" onClick={() => run("repair")} disabled={busy !== null}>
          {busy === "repair" ? "Repairing…" : "Repair all"}
        </button>
      ) : null}
      <a className="button" href={documentApiPath(id, "markdown")} download>
        Download .md
      </a>
      <button type="button" className="button" onClick={copyLink}>
        {copied ? "Link copied" : "Copy link"}
      </button>
      <button type="button" className="button button-danger" onClick={remove} disabled={busy !== null}>
        {busy === "delete" ? "Deleting…" : "Delete"}
      </button>
      <ActionProblem problem={problem} />
    </div>
  );
}
