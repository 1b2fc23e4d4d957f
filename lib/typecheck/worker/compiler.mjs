// @ts-check
/**
 * The TypeScript compiler, driven in memory (nothing is written to disk). Runs inside the
 * type-check worker thread (./typecheck-worker.mjs); tests may also call it directly.
 *
 * Plain JavaScript on purpose: the worker is started from this file at run time, outside
 * the Next.js bundle, so it must run in Node as it is (typed with JSDoc, checked by tsc).
 *
 * One check = one ts.Program holding every file of a document, so lib and package
 * declarations are bound once per document, not once per code block. Parsed declaration
 * files are cached for the life of the worker: that is what makes a warm check fast.
 */
import { realpathSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import ts from "typescript";

/**
 * @typedef {object} CheckFile
 * @property {string} name File name, e.g. "block-3.ts" (a plain name, no folders).
 * @property {string} text
 * @property {boolean} assumeFreeNames A fragment: names it uses without declaring them
 *   are assumed to come from the surrounding text (declared `any`), and reported as assumed.
 *
 * @typedef {object} RawDiagnostic
 * @property {number} line 1-based.
 * @property {number} column 1-based.
 * @property {number} code The TS error number (2322 for TS2322).
 * @property {string} message
 *
 * @typedef {object} FileResult
 * @property {string} name
 * @property {RawDiagnostic[]} diagnostics Errors only, in source order, at most MAX_DIAGNOSTICS_PER_FILE.
 * @property {number} errorCount All errors, also those not returned.
 * @property {string[]} assumed Names assumed from the surrounding text (fragments only).
 *
 * @typedef {object} CheckerSettings
 * @property {string} projectRoot Where node_modules (with the type packages) is.
 * @property {readonly string[]} knownPackages Packages an import may resolve to; anything else is unknown.
 */

/** Diagnostics a file may report (the rest are counted, not returned). */
export const MAX_DIAGNOSTICS_PER_FILE = 50;

/** "Cannot find name" and friends: in a fragment, the name comes from the surrounding text. */
const FREE_NAME_CODES = new Set([2304, 2552, 2582, 2583]);
/** Implicit any on a parameter / binding: a cascade when the callback goes to an assumed `any`. */
const IMPLICIT_ANY_PARAMETER_CODES = new Set([7006, 7031]);

/**
 * The folder's own path and, when node_modules is a link (a sandbox, a container image, a shared
 * install), where it really is: the compiler follows links, so the lib and package declarations
 * it reads carry the real path.
 * @param {string} nodeModules
 * @returns {string[]}
 */
function readableRoots(nodeModules) {
  const roots = [nodeModules + path.sep];
  try {
    const real = realpathSync(nodeModules) + path.sep;
    if (real !== roots[0]) roots.push(real);
  } catch {
    // No node_modules: nothing but the document's own files is readable.
  }
  return roots;
}

/** @param {CheckerSettings} settings */
export function compilerOptions(settings) {
  /** @type {ts.CompilerOptions} */
  const options = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    // Server-side code for Node: the language library and Node's own globals (fetch,
    // AbortSignal, timers via @types/node), no DOM.
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ["node"],
    typeRoots: [path.join(settings.projectRoot, "node_modules", "@types")],
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    resolveJsonModule: false,
    allowJs: false,
  };
  return options;
}

/**
 * @param {CheckerSettings} settings
 */
export function createTypeChecker(settings) {
  const options = compilerOptions(settings);
  const virtualDir = path.join(settings.projectRoot, "__typecheck__");
  const nodeModules = readableRoots(path.join(settings.projectRoot, "node_modules"));
  /** Stripped from messages: the server's folders are nobody's business. */
  const rootPrefix = settings.projectRoot + path.sep;
  const known = new Set(settings.knownPackages);
  const baseHost = ts.createCompilerHost(options, true);
  const canonical = (/** @type {string} */ fileName) => baseHost.getCanonicalFileName(fileName);
  const resolutionCache = ts.createModuleResolutionCache(settings.projectRoot, canonical, options);
  /** @type {Map<string, ts.SourceFile>} */
  const declarationCache = new Map();

  /**
   * @param {Map<string, string>} texts virtual path → text
   * @param {ts.Program | undefined} oldProgram
   */
  function createProgram(texts, oldProgram) {
    /** @type {ts.CompilerHost} */
    const host = {
      ...baseHost,
      fileExists: (fileName) => texts.has(fileName) || (isReadable(fileName) && baseHost.fileExists(fileName)),
      readFile: (fileName) => texts.get(fileName) ?? (isReadable(fileName) ? baseHost.readFile(fileName) : undefined),
      getSourceFile: (fileName, languageVersion, onError, shouldCreate) => {
        const text = texts.get(fileName);
        if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true, ts.ScriptKind.TS);
        if (!isReadable(fileName)) return undefined;
        const format = typeof languageVersion === "object" ? `${languageVersion.languageVersion}:${languageVersion.impliedNodeFormat ?? ""}` : String(languageVersion);
        const key = `${canonical(fileName)}|${format}`;
        const cached = declarationCache.get(key);
        if (cached) return cached;
        const sourceFile = baseHost.getSourceFile(fileName, languageVersion, onError, shouldCreate);
        if (sourceFile) declarationCache.set(key, sourceFile);
        return sourceFile;
      },
      resolveModuleNameLiterals: (literals, containingFile, redirectedReference, compilerOptions) =>
        literals.map((literal) => {
          // A document's code may import only the known packages (and Node built-ins, which
          // @types/node declares as ambient modules): never the app's own files or whatever
          // else happens to be installed.
          if (isVirtual(containingFile) && !isKnownSpecifier(literal.text)) return { resolvedModule: undefined };
          return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, resolutionCache, redirectedReference);
        }),
      writeFile: () => {},
    };
    return ts.createProgram({ rootNames: [...texts.keys()], options, host, oldProgram });
  }

  /**
   * The document's code is untrusted: besides its own files the compiler may read only
   * declaration files and package.json files (for module resolution) under node_modules; a
   * `/// <reference path>` to any other file finds nothing.
   * @param {string} fileName
   */
  function isReadable(fileName) {
    const resolved = path.resolve(fileName);
    return nodeModules.some((root) => resolved.startsWith(root)) && (/\.d\.[cm]?ts$/.test(resolved) || path.basename(resolved) === "package.json");
  }

  /** @param {string} fileName */
  function isVirtual(fileName) {
    return fileName.startsWith(virtualDir + path.sep) || fileName === virtualDir;
  }

  /** @param {string} specifier */
  function isKnownSpecifier(specifier) {
    if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.includes(":")) return false;
    if (isBuiltin(specifier)) return false; // ambient declarations from @types/node answer these
    const parts = specifier.split("/");
    const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    return name !== undefined && known.has(name);
  }

  /**
   * Type-checks the files together in one program (each file is its own module).
   * @param {readonly CheckFile[]} files
   * @returns {FileResult[]}
   */
  function check(files) {
    /** @type {Map<string, string>} */
    const texts = new Map();
    for (const file of files) texts.set(path.join(virtualDir, safeName(file.name)), file.text);
    const program = createProgram(texts, undefined);

    /** @type {Map<string, FileResult>} */
    const results = new Map();
    /** @type {Map<string, string[]>} virtual path → free names */
    const freeNames = new Map();
    for (const file of files) {
      const fileName = path.join(virtualDir, safeName(file.name));
      const sourceFile = program.getSourceFile(fileName);
      if (!sourceFile) continue;
      const diagnostics = errorsOf(program, sourceFile);
      const names = file.assumeFreeNames ? collectFreeNames(sourceFile, diagnostics) : [];
      if (names.length > 0) freeNames.set(fileName, names);
      results.set(file.name, fileResult(file.name, diagnostics, sourceFile, [], rootPrefix));
    }

    if (freeNames.size > 0) {
      // Second pass for fragments: declare what they take from the surrounding text as `any`
      // (appended at the end, so line numbers do not move) and check again.
      /** @type {Map<string, string>} */
      const amended = new Map();
      for (const [fileName, names] of freeNames) amended.set(fileName, `${texts.get(fileName)}\n${names.map(ambientAny).join("\n")}\n`);
      const second = createProgram(amended, program);
      const typeChecker = second.getTypeChecker();
      for (const file of files) {
        const fileName = path.join(virtualDir, safeName(file.name));
        const names = freeNames.get(fileName);
        const sourceFile = second.getSourceFile(fileName);
        if (!names || !sourceFile) continue;
        const diagnostics = errorsOf(second, sourceFile).filter((d) => !isCallbackOfAny(d, sourceFile, typeChecker));
        results.set(file.name, fileResult(file.name, diagnostics, sourceFile, names, rootPrefix));
      }
    }
    return files.map((file) => results.get(file.name) ?? { name: file.name, diagnostics: [], errorCount: 0, assumed: [] });
  }

  return { check, version: ts.version };
}

/** @param {string} name */
function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, "-");
}

/**
 * @param {ts.Program} program
 * @param {ts.SourceFile} sourceFile
 */
function errorsOf(program, sourceFile) {
  const syntactic = program.getSyntacticDiagnostics(sourceFile);
  // A file that does not parse has no meaningful semantic errors.
  const all = syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sourceFile);
  return all.filter((d) => d.category === ts.DiagnosticCategory.Error);
}

/**
 * @param {string} name
 * @param {readonly ts.Diagnostic[]} diagnostics
 * @param {ts.SourceFile} sourceFile
 * @param {string[]} assumed
 * @param {string} rootPrefix
 * @returns {FileResult}
 */
function fileResult(name, diagnostics, sourceFile, assumed, rootPrefix) {
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_FILE).map((d) => raw(d, sourceFile, rootPrefix));
  return { name, diagnostics: shown, errorCount: diagnostics.length, assumed };
}

/**
 * @param {ts.Diagnostic} diagnostic
 * @param {ts.SourceFile} sourceFile
 * @param {string} rootPrefix
 * @returns {RawDiagnostic}
 */
function raw(diagnostic, sourceFile, rootPrefix) {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").split(rootPrefix).join("");
  return { line: line + 1, column: character + 1, code: diagnostic.code, message };
}

/**
 * @param {ts.SourceFile} sourceFile
 * @param {readonly ts.Diagnostic[]} diagnostics
 */
function collectFreeNames(sourceFile, diagnostics) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const d of diagnostics) {
    if (!FREE_NAME_CODES.has(d.code) || d.start === undefined || d.length === undefined) continue;
    const name = sourceFile.text.slice(d.start, d.start + d.length);
    if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
  }
  return [...names].sort();
}

/** @param {string} name */
function ambientAny(name) {
  return `declare var ${name}: any; type ${name} = any;`;
}

/**
 * An implicit-any parameter of a callback passed to a call whose callee is `any` (an
 * assumed name such as `app.post(path, (req, res) => …)`): the callback's types depend on
 * what the fragment assumed, so it is not an error of the fragment itself.
 * @param {ts.Diagnostic} diagnostic
 * @param {ts.SourceFile} sourceFile
 * @param {ts.TypeChecker} checker
 */
function isCallbackOfAny(diagnostic, sourceFile, checker) {
  if (!IMPLICIT_ANY_PARAMETER_CODES.has(diagnostic.code) || diagnostic.start === undefined) return false;
  /** @type {ts.Node | undefined} */
  let node = findNode(sourceFile, diagnostic.start);
  while (node && !ts.isFunctionLike(node)) node = node.parent;
  const call = node?.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((argument) => argument === node)) return false;
  return (checker.getTypeAtLocation(call.expression).flags & ts.TypeFlags.Any) !== 0;
}

/**
 * @param {ts.Node} root
 * @param {number} position
 * @returns {ts.Node | undefined}
 */
function findNode(root, position) {
  /** @type {ts.Node | undefined} */
  let found;
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (position < node.getStart() || position >= node.getEnd()) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}
