/** Why a generation stopped without finishing, in the words readers see. */
export const INTERRUPTED_MESSAGE =
  "The server stopped while this document was being generated. The text up to the last checkpoint is kept: use Continue to finish it.";

/** A graceful stop with AUTO_RESUME=1: the restarted server picks these up by this message. */
export const RESUMES_AFTER_RESTART_MESSAGE = "The server is restarting; this document resumes by itself when it is back.";

export const LEASE_LOST_MESSAGE = "This instance lost its lease on the generation; another instance continues it.";
