// @ts-check
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PluginKind, declareFactoryPlugin } from "@stryker-mutator/api/plugin";

/**
 * Writes each mutant that no test killed to reports/mutation/<scope>-survivors.log the moment it is
 * tested. Stryker's html/json reports appear only when the whole run ends (hours for a folder), so
 * without this line-by-line log nobody can start writing the missing tests while a run is going.
 */
const UNKILLED = new Set(["Survived", "NoCoverage", "Timeout"]);
const file = `reports/mutation/${process.env.MUTATION_SCOPE ?? "all"}${process.env.MUTATION_TESTS === "unit" ? "-unit" : ""}-survivors.log`;

function createSurvivorLogReporter() {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "");
  return {
    /** @param {Readonly<import("@stryker-mutator/api/core").MutantResult>} result */
    onMutantTested(result) {
      if (!UNKILLED.has(result.status)) return;
      const { line, column } = result.location.start;
      const replacement = (result.replacement ?? "").replace(/\s+/g, " ").slice(0, 160);
      appendFileSync(file, `${result.status}\t${result.fileName}:${line}:${column}\t${result.mutatorName}\t${replacement}\n`);
    },
  };
}
createSurvivorLogReporter.inject = /** @type {const} */ ([]);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.Reporter, "survivor-log", createSurvivorLogReporter)];
