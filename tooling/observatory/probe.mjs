// Grade header sets with the pinned MDN HTTP Observatory analyzer (the oracle of the tests).
//
// Usage: node probe.mjs PACKAGE_DIR CASES_JSON
// CASES_JSON holds [{"headers": {"name": ["value", ...]}, "preloaded": bool}, ...]. Each case
// becomes the requests the package's own test/helpers.js builds (emptyRequests: an https
// answer with a valid certificate), with the headers set on its `auto` and `https` responses; repeated values
// are joined with ", " as Node's HTTP client joins a repeated header. The scan's score is
// computed as src/scanner/index.js scan() does after retrieval (it cannot be called offline).
// The HSTS preload list is {"preloaded.test"} (the package ships none; its postinstall
// downloads it), so a case with "preloaded": true is scanned as www.preloaded.test.
// Prints {"algorithmVersion": N, "cases": [{"tests": {name: {result, scoreModifier, pass}},
// "scan": {grade, score, testsPassed, testsFailed}}]}.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [root, casesFile] = process.argv.slice(2);
const PRELOAD = { "preloaded.test": { includeSubDomains: true, mode: "force-https" } };
const readFileSync = fs.readFileSync;
fs.readFileSync = (file, ...rest) =>
  String(file).endsWith(path.join("conf", "hsts-preload.json"))
    ? JSON.stringify(PRELOAD)
    : readFileSync(file, ...rest);

const load = (rel) => import(pathToFileURL(path.join(root, rel)).href);
const { emptyRequests, setHeader } = await load("test/helpers.js");
const { ALL_TESTS, ALGORITHM_VERSION, NUM_TESTS } = await load("src/constants.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("src/grader/charts.js");
const { getGradeForScore, getScoreModifier } = await load("src/grader/grader.js");

function grade(testCase) {
  const requests = emptyRequests();
  requests.hostname = testCase.preloaded ? "www.preloaded.test" : "example.test";
  for (const [name, values] of Object.entries(testCase.headers)) {
    // As the package's own tests do: `auto` holds AxiosHeaders, its clones plain objects.
    // AxiosHeaders trims spaces and tabs as any HTTP client does; a real scan's https
    // answer would hold AxiosHeaders too, so it gets the same trimmed value.
    setHeader(requests.responses.auto, name, values.join(", "));
    requests.responses.https.headers[name.toLowerCase()] = requests.responses.auto.headers.get(name);
  }
  let passed = 0;
  let withCredit = 100;
  let uncurved = 100;
  const tests = {};
  for (const test of ALL_TESTS) {
    const result = test(requests);
    if (result.result) {
      result.scoreModifier = getScoreModifier(result.result);
      passed += result.pass ? 1 : 0;
      withCredit += result.scoreModifier;
      if (result.scoreModifier < 0) uncurved += result.scoreModifier;
    }
    tests[result.constructor.name] = {
      result: result.result,
      scoreModifier: result.scoreModifier,
      pass: result.pass,
    };
  }
  const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withCredit : uncurved);
  return {
    tests,
    scan: { grade: final.grade, score: final.score, testsPassed: passed, testsFailed: NUM_TESTS - passed },
  };
}

const cases = JSON.parse(readFileSync(casesFile, "utf8"));
console.log(JSON.stringify({ algorithmVersion: ALGORITHM_VERSION, cases: cases.map(grade) }));
