// Score header sets with upstream main's analyzeScan (algorithm 6), as test/helpers.js builds requests.
import "./polyfill.mjs";
import { emptyRequests, setHeader } from "./test/helpers.js";
import { analyzeScan } from "./src/scanner/index.js";
const cases = JSON.parse(await new Promise(r => { let d = ""; process.stdin.on("data", c => d += c); process.stdin.on("end", () => r(d)); }));
const out = cases.map(headers => {
  const req = emptyRequests();
  for (const [k, v] of Object.entries(headers)) { setHeader(req.responses.auto, k, v); req.responses.https.headers[k.toLowerCase()] = v; }
  const r = analyzeScan(req);
  const tests = {};
  for (const [name, t] of Object.entries(r.tests)) tests[name] = [t.result, t.scoreModifier];
  return { score: r.scan.score, grade: r.scan.grade, version: r.scan.algorithmVersion, tests };
});
console.log(JSON.stringify(out));
