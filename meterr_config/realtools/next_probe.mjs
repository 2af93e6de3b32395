// Load a next.config with Next.js's own loader and route resolver, and print what Next
// makes of it as one JSON document on stdout.
// Usage: node next_probe.mjs <tools-root> <app-dir> [development]
// With "development" the config is loaded as `next dev` loads it (PHASE_DEVELOPMENT_SERVER,
// NODE_ENV=development); otherwise as `next build` does.
import { createRequire } from "node:module";
import path from "node:path";

const [toolsRoot, appDir, mode] = process.argv.slice(2);
// As `next build` does before it loads the config (next/dist/bin/next, its preAction
// hook): a config that branches on NODE_ENV is read as the deployment's build reads it.
process.env.NODE_ENV = mode === "development" ? "development" : process.env.NODE_ENV || "production";
process.env.NEXT_RUNTIME = "nodejs";
const require = createRequire(path.join(toolsRoot, "package.json"));
const messages = [];
for (const level of ["warn", "error", "log", "info"]) {
  console[level] = (...args) => messages.push({ level, text: args.map(String).join(" ") });
}
const emit = (doc) => process.stdout.write(JSON.stringify({ messages, ...doc }));
// loadCustomRoutes calls process.exit(1) on an invalid route: report before leaving.
const exit = process.exit.bind(process);
process.exit = (code) => {
  const said = messages.filter((m) => m.level === "error" && m.text.trim()).map((m) => m.text);
  emit({ ok: false, refused: true, error: said.join("\n") || `Next.js exited with code ${code}` });
  exit(0);
};

try {
  const { default: loadConfig } = require("next/dist/server/config");
  const constants = require("next/constants");
  const PHASE =
    mode === "development" ? constants.PHASE_DEVELOPMENT_SERVER : constants.PHASE_PRODUCTION_BUILD;
  const { default: loadCustomRoutes } = require("next/dist/lib/load-custom-routes");
  const version = require("next/package.json").version;
  const config = await loadConfig(PHASE, appDir, { silent: false });
  const routes = await loadCustomRoutes(config);
  // The user's own keys, without Next's defaults (served from loadConfig's cache).
  let raw = await loadConfig(PHASE, appDir, { rawConfig: true });
  if (Array.isArray(raw)) raw = raw[0];
  raw = raw && raw.default !== undefined ? raw.default : raw;
  if (typeof raw === "function") raw = await raw(PHASE, { defaultConfig: {} });
  const userConfig = JSON.parse(
    JSON.stringify(raw ?? {}, (key, value) => (typeof value === "function" ? "[function]" : value)),
  );
  emit({ ok: true, version, basePath: config.basePath, userConfig, ...routes });
} catch (error) {
  // Next refuses the config when it throws from its own code or cannot parse the file;
  // a missing package, or the config's own code throwing, may be fine where the app's
  // dependencies and variables are.
  const stack = String((error && error.stack) || "").split("\n").slice(1);
  const frame = stack.find((line) => line.trim().startsWith("at ")) || "";
  emit({
    ok: false,
    error: String((error && error.message) || error),
    missing: /MODULE_NOT_FOUND/.test(String(error && error.code)),
    refused:
      (error && error.name === "SyntaxError") ||
      /\bSyntax Error\b/.test(String(error && error.message)) || // SWC, on a .ts config
      /[\\/]next[\\/]dist[\\/]/.test(frame),
  });
}
