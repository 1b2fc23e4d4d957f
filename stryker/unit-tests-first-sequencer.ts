import { statSync } from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Orders a mutant's covering test files so that the quick ones run first. Vitest's own order puts
 * the longest files first (good for a whole suite on many workers); Stryker runs one file at a time
 * and stops at the first failure, so a mutant a unit test kills in milliseconds would otherwise
 * wait for minutes of API tests that start servers. Folders of in-process unit tests come first,
 * the API suites last; inside a group, smaller files first.
 */
const GROUPS = [/\/tests\/(http|unit|events|documents|generation)\//, /\/tests\/(parallel|repair|document)\//];

const rank = (file: string) => {
  const group = GROUPS.findIndex((pattern) => pattern.test(file));
  return group === -1 ? GROUPS.length : group;
};

export class UnitTestsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || size(a.moduleId) - size(b.moduleId));
  }
}
