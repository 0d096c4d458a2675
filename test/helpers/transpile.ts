import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/**
 * Transpiles repo-relative TypeScript files to JavaScript under `outRoot`, keeping the layout, so a
 * child `node` process can run current sources without a build step or a TS loader dependency.
 * `outRoot` must be inside the repo so bare imports still resolve from its node_modules.
 */
export const transpileFiles = (repoRoot: string, files: readonly string[], outRoot: string): void => {
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(join(repoRoot, file), "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const out = join(outRoot, file.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
};
