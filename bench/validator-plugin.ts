// The same swap scripts/build.mjs makes for the shipped charm: src/config/validate-config.ts replaced by
// the validator ajv precompiles now, so the bench's bundle loads what a hook loads.
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import type { Plugin } from "esbuild";
import { CONFIG_SCHEMA } from "../src/config/schema.ts";

export const precompiledConfigValidator: Plugin = {
  name: "precompiled-config-validator",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /src[\\/]config[\\/]validate-config\.ts$/ }, () => {
      const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true } });
      // CommonJS: the function is both module.exports and its .default; the types only know .default.
      const code = standaloneCode.default(ajv, ajv.compile(CONFIG_SCHEMA));
      return {
        contents: `${code}\nexport { validate as validateConfig };\n`,
        loader: "js",
        resolveDir: process.cwd(),
      };
    });
  },
};
