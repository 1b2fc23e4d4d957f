/** What the not-found page says: shared by app/not-found.tsx and the 400 page proxy.ts serves for undecodable paths. */
export const NOT_FOUND_COPY = {
  title: "Not found",
  explanation: "There is no document at this address. Permalinks are long random ids: check that the link was copied whole.",
  homeLink: "Generate a new document",
} as const;
