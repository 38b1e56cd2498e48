// Validates Kubernetes objects (multi-document YAML on stdin, as `kubectl kustomize` renders them)
// against the Kubernetes API's OpenAPI schemas, offline: kubernetes-models ships them compiled.
// Prints one line per object; exits 1 when any object is invalid or of a kind it does not know.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

let failures = 0;
let count = 0;
for (const document of parseAllDocuments(input)) {
  const object = document.toJS();
  if (object == null) {
    continue;
  }
  count++;
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  // apps/v1 -> kubernetes-models/apps/v1/Kind; the core group's v1 -> kubernetes-models/v1/Kind.
  const path = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  let model;
  try {
    model = (await import(path))[object.kind];
  } catch (e) {
    console.log(`INVALID ${name}: no schema for ${path}`);
    failures++;
    continue;
  }
  try {
    new model(object).validate();
    console.log(`valid ${name}`);
  } catch (e) {
    console.log(`INVALID ${name}: ${e.message}`);
    failures++;
  }
}
console.log(`${count} objects, ${failures} invalid`);
process.exit(failures === 0 && count > 0 ? 0 : 1);
