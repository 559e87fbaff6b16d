#!/usr/bin/env node
// Static validation of the Kubernetes and KEDA manifests (no cluster needed), run by scripts/validate-deployment.sh:
//
//   node scripts/validate-k8s.mjs --models .tools/validators --root . [--compose docker-compose.yml] FILE.yaml...
//
// 1. schema: every object against its kubernetes-models / @kubernetes-models/keda / @kubernetes-models/gateway-api
//    model (types, enums, required fields). HTTPScaledObject (KEDA HTTP add-on) and PodMonitor (Prometheus Operator)
//    have no model there: their shape is checked by hand.
// 2. unknown fields: the models accept any extra field, so each object is also walked along the TypeScript
//    declarations (.d.ts) shipped with the models, and a field they do not declare (a typo such as
//    `readinesProbe`, which the API server would drop) is an error.
// 3. references: selectors, ports, ConfigMaps, Secrets and their keys, ServiceAccounts, Roles, Ingress backends,
//    HTTPRoute parents (a Gateway and listener that admit the route) and backends (Services and ports), ScaledObject
//    targets and TriggerAuthentications all resolve; each Prometheus request-rate query names an HTTPRoute rule (or
//    Ingress) whose backend is the Service of the Deployment it scales; no route exposes /api/internal or /admin.
//    The HA rules hold for every Deployment behind a Service (KEDA minimum >= 2, or replicas >= 2 where KEDA does not
//    scale it; probes, requests and limits, topology spread, a PodDisruptionBudget), and a Deployment that KEDA scales
//    has no spec.replicas (KEDA's HPA owns it).
// 4. the app: each Functions Deployment's AzureFunctionsJobHost__functions list names real [Function]s of its app
//    (read from the C# sources), every function of the app runs in exactly one Deployment (the probe functions Health and Liveness may be in
//    several), HTTP functions only behind a Service; function-key Secrets are writable by the pods that use them.
// 4b. RabbitMQ topology: the exchanges, queues (with their arguments) and bindings that the deploy-time Job declares
//    (ConfigMap rabbitmq-topology) are exactly what the consumer declares in code (shared/Messaging,
//    functions/OrderFunctions/Notifications), so the consumer's own declare cannot fail with PRECONDITION_FAILED.
// 5. settings: every `Section__Key` an app gets (ConfigMaps, Secrets, env; and with --compose the app services of
//    docker-compose.yml) names an options class (`const string Section = "..."`) and one of its properties.
// Exit status 1 with one line per problem; 0 prints a summary.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Probe endpoints: every Deployment of an app loads them, whether or not a Service routes traffic to it.
const PROBE_FUNCTIONS = new Set(["Health", "Liveness"]);

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const modelsDir = path.resolve(option("--models") ?? ".tools/validators");
const root = path.resolve(option("--root") ?? ".");
const composeFile = option("--compose");
const files = args;
if (files.length === 0) {
  console.error("usage: validate-k8s.mjs --models DIR --root DIR [--compose FILE] FILE.yaml...");
  process.exit(2);
}

const requireModels = createRequire(path.join(modelsDir, "package.json"));
const YAML = requireModels("yaml");
const nodeModules = path.join(modelsDir, "node_modules");

const problems = [];
const declarationCache = new Map(); // .d.ts file -> parsed declarations
const resolvedRefs = new Map(); // file#type -> resolved type
const problem = (where, message) => problems.push(`${where}: ${message}`);

// ------------------------------------------------------------------------------------------------ load
const objects = []; // { file, line, obj }
let kustomization = null;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter });
  for (const doc of docs) {
    for (const error of doc.errors) {
      problem(`${file}:${lineCounter.linePos(error.pos[0]).line}`, `YAML: ${error.message.split("\n")[0]}`);
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    const line = doc.contents ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    if (obj.kind === "Kustomization") {
      kustomization = { file, obj };
      continue;
    }
    objects.push({ file, line, obj });
  }
}
const where = (o) => `${path.relative(root, o.file)}:${o.line} ${o.obj.kind ?? "?"}/${o.obj.metadata?.name ?? "?"}`;

// ------------------------------------------------------------------------------------------------ 1. schema
const modelOf = {
  "v1/Namespace": ["kubernetes-models/v1", "Namespace"],
  "v1/ConfigMap": ["kubernetes-models/v1", "ConfigMap"],
  "v1/Secret": ["kubernetes-models/v1", "Secret"],
  "v1/Service": ["kubernetes-models/v1", "Service"],
  "v1/ServiceAccount": ["kubernetes-models/v1", "ServiceAccount"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1", "Deployment"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1", "PodDisruptionBudget"],
  "rbac.authorization.k8s.io/v1/Role": ["kubernetes-models/rbac.authorization.k8s.io/v1", "Role"],
  "rbac.authorization.k8s.io/v1/RoleBinding": ["kubernetes-models/rbac.authorization.k8s.io/v1", "RoleBinding"],
  "networking.k8s.io/v1/Ingress": ["kubernetes-models/networking.k8s.io/v1", "Ingress"],
  "networking.k8s.io/v1/NetworkPolicy": ["kubernetes-models/networking.k8s.io/v1", "NetworkPolicy"],
  "batch/v1/Job": ["kubernetes-models/batch/v1", "Job"],
  "gateway.networking.k8s.io/v1/Gateway": ["@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1", "Gateway"],
  "gateway.networking.k8s.io/v1/HTTPRoute": ["@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1", "HTTPRoute"],
  "keda.sh/v1alpha1/ScaledObject": ["@kubernetes-models/keda/keda.sh/v1alpha1", "ScaledObject"],
  "keda.sh/v1alpha1/TriggerAuthentication": ["@kubernetes-models/keda/keda.sh/v1alpha1", "TriggerAuthentication"],
};

for (const o of objects) {
  const { apiVersion, kind } = o.obj;
  const key = `${apiVersion}/${kind}`;
  if (key === "http.keda.sh/v1alpha1/HTTPScaledObject") {
    checkHttpScaledObject(o);
    continue;
  }
  if (key === "monitoring.coreos.com/v1/PodMonitor") {
    checkPodMonitorShape(o);
    continue;
  }
  const model = modelOf[key];
  if (!model) {
    problem(where(o), `no schema for ${key}: add it to validate-k8s.mjs or use a supported apiVersion`);
    continue;
  }
  const Model = requireModels(model[0])[model[1]];
  try {
    new Model(o.obj).validate();
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    problem(where(o), `schema: ${details || error.message}`);
  }
  checkUnknownFields(o, model);
}

// The KEDA HTTP add-on's HTTPScaledObject (http.keda.sh/v1alpha1, add-on >= 0.8) is not in @kubernetes-models/keda.
function checkHttpScaledObject(o) {
  const w = where(o);
  const spec = o.obj.spec;
  const allowed = new Set(["hosts", "pathPrefixes", "scaleTargetRef", "replicas", "scalingMetric", "scaledownPeriod",
    "targetPendingRequests", "initialCooldownPeriod", "timeouts"]);
  if (!isObject(spec)) return problem(w, "spec is required");
  for (const k of Object.keys(spec)) if (!allowed.has(k)) problem(w, `unknown field spec.${k}`);
  for (const k of ["hosts", "pathPrefixes"]) {
    if (spec[k] !== undefined && !(Array.isArray(spec[k]) && spec[k].every((s) => typeof s === "string" && s))) {
      problem(w, `spec.${k} must be a list of non-empty strings`);
    }
  }
  if (!spec.hosts && !spec.pathPrefixes) problem(w, "spec.hosts or spec.pathPrefixes is required");
  const ref = spec.scaleTargetRef;
  if (!isObject(ref) || typeof ref.name !== "string" || typeof ref.service !== "string" || !Number.isInteger(ref.port)) {
    problem(w, "spec.scaleTargetRef needs name, service and an integer port");
  }
  const r = spec.replicas ?? {};
  if (!isObject(r) || (r.min !== undefined && !Number.isInteger(r.min)) || (r.max !== undefined && !Number.isInteger(r.max))
      || (Number.isInteger(r.min) && Number.isInteger(r.max) && r.min > r.max)) {
    problem(w, "spec.replicas.min/max must be integers with min <= max");
  }
  if (spec.scalingMetric !== undefined) {
    const m = spec.scalingMetric;
    const kinds = isObject(m) ? Object.keys(m) : [];
    if (kinds.length !== 1 || !["concurrency", "requestRate"].includes(kinds[0])) {
      problem(w, "spec.scalingMetric must have exactly one of concurrency, requestRate");
    }
  }
}

// The Prometheus Operator's PodMonitor (monitoring.coreos.com/v1) has no model either: the fields used here.
function checkPodMonitorShape(o) {
  const w = where(o);
  const spec = o.obj.spec;
  if (!isObject(spec)) return problem(w, "spec is required");
  const allowed = new Set(["jobLabel", "selector", "namespaceSelector", "podMetricsEndpoints", "podTargetLabels", "sampleLimit"]);
  for (const k of Object.keys(spec)) if (!allowed.has(k)) problem(w, `unknown field spec.${k}`);
  if (!isObject(spec.selector?.matchLabels)) problem(w, "spec.selector.matchLabels is required");
  const endpointFields = new Set(["port", "path", "interval", "scrapeTimeout", "scheme", "honorLabels", "relabelings", "metricRelabelings"]);
  if (!Array.isArray(spec.podMetricsEndpoints) || spec.podMetricsEndpoints.length === 0) problem(w, "spec.podMetricsEndpoints is required");
  for (const [i, e] of (spec.podMetricsEndpoints ?? []).entries()) {
    for (const k of Object.keys(e ?? {})) if (!endpointFields.has(k)) problem(w, `unknown field spec.podMetricsEndpoints[${i}].${k}`);
    if (typeof e?.port !== "string") problem(w, `spec.podMetricsEndpoints[${i}].port must be a container port name`);
    for (const k of ["interval", "scrapeTimeout"]) if (e?.[k] !== undefined && !/^\d+(ms|s|m|h)$/.test(e[k])) problem(w, `spec.podMetricsEndpoints[${i}].${k} is not a duration`);
  }
}

// ------------------------------------------------------------------------------------------------ 2. unknown fields
// A small reader of the .d.ts declarations of the models: interfaces (named or inline object types), Array<T>,
// unions, index signatures, and imports between declaration files.
function declarations(file) {
  if (declarationCache.has(file)) return declarationCache.get(file);
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const imports = new Map();
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    const target = m[2].startsWith(".") ? path.resolve(path.dirname(file), m[2]) : path.join(nodeModules, m[2]);
    for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      const [exported, local] = part.split(/\s+as\s+/);
      imports.set((local ?? exported).trim(), { file: target + ".d.ts", name: exported.trim() });
    }
  }
  const types = new Map();
  for (const m of text.matchAll(/export (?:declare )?interface (\w+)(?:\s+extends\s+([\w, ]+))?\s*\{/g)) {
    const body = balanced(text, m.index + m[0].length - 1);
    types.set(m[1], { kind: "interface", body, extends: (m[2] ?? "").split(",").map((s) => s.trim()).filter(Boolean) });
  }
  for (const m of text.matchAll(/export (?:declare )?type (\w+)\s*=\s*([^;]+);/g)) types.set(m[1], { kind: "alias", text: m[2] });
  const aliases = new Map();
  for (const m of text.matchAll(/export\s*\{([^}]*)\}\s*;/g)) {
    for (const part of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      const [local, exported] = part.split(/\s+as\s+/);
      if (exported) aliases.set(exported.trim(), local.trim());
    }
  }
  const result = { file, imports, types, aliases };
  declarationCache.set(file, result);
  return result;
}

function balanced(text, openIndex) {
  let depth = 0;
  for (let i = openIndex; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(openIndex + 1, i);
  }
  throw new Error("unbalanced braces in declarations");
}

// Parses a type expression into { kind: object|array|ref|union|scalar, ... }.
function parseType(textIn, scope) {
  let text = textIn.trim();
  const parts = splitTop(text, "|");
  if (parts.length > 1) return { kind: "union", members: parts.map((p) => parseType(p, scope)) };
  if (text.startsWith("(") && text.endsWith(")")) return parseType(text.slice(1, -1), scope);
  if (text.startsWith("Array<") && text.endsWith(">")) return { kind: "array", of: parseType(text.slice(6, -1), scope) };
  if (text.endsWith("[]")) return { kind: "array", of: parseType(text.slice(0, -2), scope) };
  if (text.startsWith("{")) return parseObject(text.slice(1, text.lastIndexOf("}")), scope);
  if (/^[A-Z_]\w*$/i.test(text) && !["string", "number", "boolean", "any", "object", "null", "unknown"].includes(text)) {
    return { kind: "ref", name: text, scope };
  }
  return { kind: "scalar" };
}

function parseObject(body, scope) {
  const props = new Map();
  let index = null;
  for (const member of splitTop(body, ";").map((s) => s.trim()).filter(Boolean)) {
    const m = member.match(/^(?:"([^"]+)"|(\w+))\??\s*:\s*([\s\S]+)$/);
    const sig = member.match(/^\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]+)$/);
    if (sig) index = parseType(sig[1], scope);
    else if (m) props.set(m[1] ?? m[2], parseType(m[3], scope));
  }
  return { kind: "object", props, index };
}

function splitTop(text, separator) {
  const out = [];
  let depth = 0;
  let start = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quote = !quote;
    if (quote) continue;
    if ("{<([".includes(c)) depth++;
    else if ("}>)]".includes(c)) depth--;
    else if (c === separator && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s, i, all) => s || i < all.length - 1);
}

function resolveRef(name, scope) {
  const key = `${scope.file}#${name}`;
  if (resolvedRefs.has(key)) return resolvedRefs.get(key);
  let result = { kind: "scalar" };
  const local = scope.aliases.get(name) ?? name;
  const type = scope.types.get(local);
  if (type?.kind === "interface") {
    resolvedRefs.set(key, { kind: "object", props: new Map(), index: null }); // recursion guard
    const obj = parseObject(type.body, scope);
    for (const base of type.extends) {
      const baseType = resolveRef(base, scope);
      if (baseType.kind === "object") for (const [k, v] of baseType.props) if (!obj.props.has(k)) obj.props.set(k, v);
      if (baseType.kind === "scalar") obj.open = true; // an interface we cannot read: do not flag its fields
    }
    result = obj;
  } else if (type?.kind === "alias") {
    result = parseType(type.text, scope);
    if (result.kind === "ref") result = resolveRef(result.name, scope);
  } else if (scope.imports.has(name)) {
    const imported = scope.imports.get(name);
    if (imported.name === "TypeMeta") {
      result = { kind: "object", props: new Map([["apiVersion", { kind: "scalar" }], ["kind", { kind: "scalar" }]]), index: null };
    } else if (existsSync(imported.file)) {
      result = resolveRef(imported.name, declarations(imported.file));
    }
  }
  resolvedRefs.set(key, result);
  return result;
}

function checkUnknownFields(o, [moduleName, className]) {
  const file = path.join(nodeModules, moduleName, `${className}.d.ts`);
  if (!existsSync(file)) return;
  const scope = declarations(file);
  walk(o.obj, resolveRef(`I${className}`, scope), "", (p, message) => problem(where(o), `${p}: ${message}`));
}

function walk(value, type, at, report) {
  if (type.kind === "ref") type = resolveRef(type.name, type.scope);
  if (type.kind === "union") {
    const objectMember = type.members.map((m) => (m.kind === "ref" ? resolveRef(m.name, m.scope) : m))
      .find((m) => (isObject(value) ? m.kind === "object" : Array.isArray(value) ? m.kind === "array" : false));
    if (objectMember) walk(value, objectMember, at, report);
    return;
  }
  if (type.kind === "array" && Array.isArray(value)) {
    value.forEach((item, i) => walk(item, type.of, `${at}[${i}]`, report));
  } else if (type.kind === "object" && isObject(value) && !type.open) {
    for (const [k, v] of Object.entries(value)) {
      const fieldType = type.props.get(k) ?? type.index;
      if (!fieldType) report(`${at}.${k}`.replace(/^\./, ""), "unknown field (not in the API schema)");
      else walk(v, fieldType, `${at}.${k}`, report);
    }
  }
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// ------------------------------------------------------------------------------------------------ 3. references
const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
const find = (kind, name) => objects.find((o) => o.obj.kind === kind && o.obj.metadata?.name === name);
const seen = new Set();
const namespaceNames = new Set(byKind("Namespace").map((o) => o.obj.metadata?.name));
for (const o of objects) {
  const id = `${o.obj.kind}/${o.obj.metadata?.namespace ?? ""}/${o.obj.metadata?.name}`;
  if (seen.has(id)) problem(where(o), "defined twice");
  seen.add(id);
  if (o.obj.kind !== "Namespace" && !namespaceNames.has(o.obj.metadata?.namespace)) {
    problem(where(o), `metadata.namespace "${o.obj.metadata?.namespace}" is not a Namespace defined in these files`);
  }
}

const matches = (selector, labels) =>
  isObject(selector) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const deployments = byKind("Deployment");
const podLabels = (d) => d.obj.spec?.template?.metadata?.labels ?? {};
const podSpec = (d) => d.obj.spec?.template?.spec ?? {};
const secretData = (name) => {
  const s = find("Secret", name);
  if (!s) return null;
  const data = {};
  for (const [k, v] of Object.entries(s.obj.data ?? {})) data[k] = Buffer.from(String(v), "base64").toString("utf8");
  for (const [k, v] of Object.entries(s.obj.stringData ?? {})) data[k] = String(v);
  return data;
};
const configData = (name) => find("ConfigMap", name)?.obj.data ?? null;

// The environment a container gets, as { name: { value?, from } } (values only where they are literal or known).
function containerEnv(d, c) {
  const env = {};
  for (const source of c.envFrom ?? []) {
    const data = source.configMapRef ? configData(source.configMapRef.name) : source.secretRef ? secretData(source.secretRef.name) : null;
    for (const [k, v] of Object.entries(data ?? {})) env[(source.prefix ?? "") + k] = { value: v };
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = { value: String(e.value) };
    else if (e.valueFrom?.secretKeyRef) env[e.name] = { value: secretData(e.valueFrom.secretKeyRef.name)?.[e.valueFrom.secretKeyRef.key] };
    else if (e.valueFrom?.configMapKeyRef) env[e.name] = { value: configData(e.valueFrom.configMapKeyRef.name)?.[e.valueFrom.configMapKeyRef.key] };
    else env[e.name] = {};
  }
  return env;
}

const jobs = byKind("Job");
for (const d of [...deployments, ...jobs]) {
  const w = where(d);
  const spec = d.obj.spec ?? {};
  if (d.obj.kind === "Deployment" && !matches(spec.selector?.matchLabels, podLabels(d))) problem(w, "spec.selector.matchLabels do not match the pod template labels");
  const ps = podSpec(d);
  if (ps.serviceAccountName && !find("ServiceAccount", ps.serviceAccountName)) problem(w, `serviceAccountName ${ps.serviceAccountName} is not defined`);
  const volumes = new Map((ps.volumes ?? []).map((v) => [v.name, v]));
  for (const v of ps.volumes ?? []) {
    if (v.secret && !v.secret.optional && !find("Secret", v.secret.secretName)) problem(w, `volume ${v.name}: Secret ${v.secret.secretName} is not defined`);
    if (v.configMap && !v.configMap.optional && !find("ConfigMap", v.configMap.name)) problem(w, `volume ${v.name}: ConfigMap ${v.configMap.name} is not defined`);
  }
  for (const c of ps.containers ?? []) {
    const cw = `${w} container ${c.name}`;
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problem(cw, `volumeMount ${m.name} has no volume`);
    for (const s of c.envFrom ?? []) {
      if (s.configMapRef && !s.configMapRef.optional && !find("ConfigMap", s.configMapRef.name)) problem(cw, `envFrom ConfigMap ${s.configMapRef.name} is not defined`);
      if (s.secretRef && !s.secretRef.optional && !find("Secret", s.secretRef.name)) problem(cw, `envFrom Secret ${s.secretRef.name} is not defined`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
      if (!ref || ref.optional) continue;
      const data = e.valueFrom.secretKeyRef ? secretData(ref.name) : configData(ref.name);
      if (!data) problem(cw, `env ${e.name}: ${e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap"} ${ref.name} is not defined`);
      else if (!(ref.key in data)) problem(cw, `env ${e.name}: key ${ref.key} is not in ${ref.name}`);
    }
    const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
    const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      if (port !== undefined && !(typeof port === "string" ? portNames.has(port) : portNumbers.has(port))) problem(cw, `${probe} port ${port} is not a container port`);
    }
    const r = c.resources ?? {};
    if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.memory) problem(cw, "resources need requests.cpu, requests.memory and limits.memory");
  }
}

const fronted = new Set(); // Deployments that a Service selects: the HTTP APIs
for (const s of byKind("Service")) {
  const w = where(s);
  const targets = deployments.filter((d) => matches(s.obj.spec?.selector, podLabels(d)));
  if (targets.length === 0) problem(w, "its selector matches no Deployment");
  for (const d of targets) {
    fronted.add(d.obj.metadata.name);
    const containers = podSpec(d).containers ?? [];
    for (const p of s.obj.spec?.ports ?? []) {
      const t = p.targetPort ?? p.port;
      const ok = containers.some((c) => (c.ports ?? []).some((cp) => (typeof t === "string" ? cp.name === t : cp.containerPort === t)));
      if (!ok) problem(w, `targetPort ${t} is not a container port of Deployment ${d.obj.metadata.name}`);
    }
  }
}

for (const i of byKind("Ingress")) {
  for (const rule of i.obj.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const b = p.backend?.service;
      const svc = b && find("Service", b.name);
      if (!svc) { problem(where(i), `backend Service ${b?.name} is not defined`); continue; }
      const ports = svc.obj.spec?.ports ?? [];
      if (!ports.some((sp) => (b.port?.name ? sp.name === b.port.name : sp.port === b.port?.number))) {
        problem(where(i), `backend port ${b.port?.name ?? b.port?.number} is not a port of Service ${b.name}`);
      }
      if (exposesInternal(p.path)) problem(where(i), `path ${p.path} would expose internal or admin routes`);
    }
  }
}

// Gateway API: each HTTPRoute attaches to a Gateway listener that admits it, sends only public prefixes, and
// names Services and ports that exist.
function exposesInternal(pathValue) {
  const p = (pathValue ?? "/").replace(/\/+$/, "") || "/";
  return /^\/api\/internal(\/|$)|^\/admin(\/|$)/.test(p) || p === "/" || p === "/api";
}
for (const g of byKind("Gateway")) {
  if (!g.obj.spec?.gatewayClassName) problem(where(g), "spec.gatewayClassName is required");
  const names = (g.obj.spec?.listeners ?? []).map((l) => l.name);
  if (new Set(names).size !== names.length) problem(where(g), "listener names must be unique");
}
for (const r of byKind("HTTPRoute")) {
  const w = where(r);
  const ns = r.obj.metadata?.namespace;
  const parents = r.obj.spec?.parentRefs ?? [];
  if (parents.length === 0) problem(w, "spec.parentRefs is empty: the route attaches to no Gateway");
  for (const ref of parents) {
    if ((ref.group ?? "gateway.networking.k8s.io") !== "gateway.networking.k8s.io" || (ref.kind ?? "Gateway") !== "Gateway") {
      problem(w, `parentRef ${ref.kind}/${ref.name}: only Gateways are parents here`);
      continue;
    }
    const gw = objects.find((o) => o.obj.kind === "Gateway" && o.obj.metadata?.name === ref.name
      && o.obj.metadata?.namespace === (ref.namespace ?? ns));
    if (!gw) { problem(w, `parentRef Gateway ${ref.namespace ?? ns}/${ref.name} is not defined`); continue; }
    const listeners = (gw.obj.spec?.listeners ?? []).filter((l) => ref.sectionName === undefined || l.name === ref.sectionName);
    if (listeners.length === 0) problem(w, `Gateway ${ref.name} has no listener named ${ref.sectionName}`);
    const admits = (l) => {
      const from = l.allowedRoutes?.namespaces?.from ?? "Same";
      const kinds = l.allowedRoutes?.kinds;
      const kindOk = !kinds || kinds.some((k) => k.kind === "HTTPRoute");
      const protoOk = ["HTTP", "HTTPS"].includes(l.protocol);
      return kindOk && protoOk && (from === "All" || (from === "Same" && gw.obj.metadata?.namespace === ns) || from === "Selector");
    };
    if (listeners.length > 0 && !listeners.some(admits)) problem(w, `no listener of Gateway ${ref.name} admits this HTTPRoute (protocol, allowedRoutes)`);
  }
  for (const [ri, rule] of (r.obj.spec?.rules ?? []).entries()) {
    const pathMatches = (rule.matches ?? [{}]).map((m) => m.path ?? { type: "PathPrefix", value: "/" });
    for (const m of pathMatches) {
      if (m.type === "RegularExpression") problem(w, `rules[${ri}]: a RegularExpression path cannot be checked for internal routes; use PathPrefix or Exact`);
      else if (exposesInternal(m.value)) problem(w, `rules[${ri}]: path ${m.value ?? "/"} would expose internal or admin routes`);
    }
    if ((rule.backendRefs ?? []).length === 0) problem(w, `rules[${ri}] has no backendRefs`);
    for (const b of rule.backendRefs ?? []) {
      if ((b.group ?? "") !== "" || (b.kind ?? "Service") !== "Service") { problem(w, `rules[${ri}]: backendRef ${b.kind}/${b.name} is not a Service`); continue; }
      if (b.namespace && b.namespace !== ns) problem(w, `rules[${ri}]: backendRef ${b.name} in namespace ${b.namespace} needs a ReferenceGrant; keep backends in ${ns}`);
      const svc = objects.find((o) => o.obj.kind === "Service" && o.obj.metadata?.name === b.name && o.obj.metadata?.namespace === (b.namespace ?? ns));
      if (!svc) { problem(w, `rules[${ri}]: backend Service ${b.name} is not defined`); continue; }
      if (!(svc.obj.spec?.ports ?? []).some((sp) => sp.port === b.port)) problem(w, `rules[${ri}]: backend port ${b.port} is not a port of Service ${b.name}`);
    }
  }
}

const pdbTargets = new Map();
for (const p of byKind("PodDisruptionBudget")) {
  const targets = deployments.filter((d) => matches(p.obj.spec?.selector?.matchLabels, podLabels(d)));
  if (targets.length !== 1) problem(where(p), `its selector matches ${targets.length} Deployments (expected 1)`);
  for (const d of targets) pdbTargets.set(d.obj.metadata.name, p);
  if (p.obj.spec?.minAvailable !== undefined && targets[0] && !fronted.has(targets[0].obj.metadata.name)) {
    problem(where(p), "minAvailable on a worker that may run a single replica blocks node drains; use maxUnavailable");
  }
}

for (const pm of byKind("PodMonitor")) {
  const targets = deployments.filter((d) => matches(pm.obj.spec?.selector?.matchLabels, podLabels(d)));
  if (targets.length === 0) problem(where(pm), "its selector matches no Deployment");
  for (const d of targets) {
    for (const e of pm.obj.spec?.podMetricsEndpoints ?? []) {
      if (!(podSpec(d).containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === e.port))) {
        problem(where(pm), `Deployment ${d.obj.metadata.name} has no container port named ${e.port}`);
      }
    }
    const jobLabel = pm.obj.spec?.jobLabel;
    if (jobLabel && !podLabels(d)[jobLabel]) problem(where(pm), `Deployment ${d.obj.metadata.name}'s pods have no label ${jobLabel}`);
  }
}

for (const t of byKind("TriggerAuthentication")) {
  for (const ref of t.obj.spec?.secretTargetRef ?? []) {
    const data = secretData(ref.name);
    if (!data) problem(where(t), `Secret ${ref.name} is not defined`);
    else if (!(ref.key in data)) problem(where(t), `key ${ref.key} is not in Secret ${ref.name}`);
  }
}

const requiredMetadata = {
  prometheus: ["serverAddress", "query", "threshold"],
  rabbitmq: ["queueName"],
  "azure-queue": ["queueName"],
  cpu: ["value"],
  memory: ["value"],
};
const scaledTargets = new Map();
for (const so of byKind("ScaledObject")) {
  const w = where(so);
  const spec = so.obj.spec ?? {};
  const kind = spec.scaleTargetRef?.kind ?? "Deployment";
  const target = kind === "Deployment" && find("Deployment", spec.scaleTargetRef?.name);
  if (!target) { problem(w, `scaleTargetRef ${kind}/${spec.scaleTargetRef?.name} is not defined`); continue; }
  if (scaledTargets.has(target.obj.metadata.name)) problem(w, `Deployment ${target.obj.metadata.name} already has a ScaledObject`);
  scaledTargets.set(target.obj.metadata.name, so);
  const min = spec.minReplicaCount ?? 0;
  if (spec.maxReplicaCount !== undefined && spec.maxReplicaCount < min) problem(w, "maxReplicaCount < minReplicaCount");
  if (fronted.has(target.obj.metadata.name) && min < 2) problem(w, "an HTTP API needs minReplicaCount >= 2");
  for (const trigger of spec.triggers ?? []) {
    const md = trigger.metadata ?? {};
    if (!(trigger.type in requiredMetadata)) problem(w, `trigger type ${trigger.type}: not one this validator knows`);
    for (const k of requiredMetadata[trigger.type] ?? []) if (md[k] === undefined) problem(w, `trigger ${trigger.type} needs metadata.${k}`);
    if (trigger.authenticationRef && (trigger.authenticationRef.kind ?? "TriggerAuthentication") === "TriggerAuthentication"
        && !find("TriggerAuthentication", trigger.authenticationRef.name)) {
      problem(w, `TriggerAuthentication ${trigger.authenticationRef.name} is not defined`);
    }
    if (["cpu", "memory"].includes(trigger.type)) {
      if (!["Utilization", "AverageValue"].includes(trigger.metricType)) problem(w, `${trigger.type} trigger needs metricType Utilization or AverageValue`);
      if (min < 1) problem(w, `a ${trigger.type} trigger cannot scale from zero (minReplicaCount must be >= 1)`);
    }
    if (trigger.type === "rabbitmq") {
      if (md.protocol && !["auto", "amqp", "http"].includes(md.protocol)) problem(w, `rabbitmq protocol ${md.protocol}`);
      if (md.mode && !["QueueLength", "MessageRate"].includes(md.mode)) problem(w, `rabbitmq mode ${md.mode}`);
      if (md.value === undefined && md.queueLength === undefined) problem(w, "rabbitmq trigger needs metadata.value");
    }
    if (trigger.type === "prometheus" && fronted.has(target.obj.metadata.name)) checkRateQuery(w, String(md.query ?? ""), target);
    if (trigger.type === "azure-queue" && md.queueLengthStrategy && !["all", "visibleonly"].includes(md.queueLengthStrategy)) {
      problem(w, `azure-queue queueLengthStrategy ${md.queueLengthStrategy}`);
    }
    for (const [k, v] of Object.entries(md)) if (typeof v !== "string") problem(w, `trigger metadata.${k} must be a string (quote it)`);
  }
}
// A request-rate query must count the traffic of the Deployment it scales: Envoy Gateway's per-route cluster
// (envoy_cluster_name="httproute/<namespace>/<name>/rule/<index>") or ingress-nginx's per-Ingress label.
function checkRateQuery(w, query, target) {
  const servicesOfTarget = new Set(byKind("Service").filter((svc) => matches(svc.obj.spec?.selector, podLabels(target)))
    .map((svc) => svc.obj.metadata.name));
  const route = query.match(/envoy_cluster_name="httproute\/([^/"]+)\/([^/"]+)\/rule\/(\d+)"/);
  const ingress = query.match(/\bingress="([^"]+)"/);
  let backends;
  if (route) {
    const [, ns, name, index] = route;
    const r = objects.find((o) => o.obj.kind === "HTTPRoute" && o.obj.metadata?.name === name && o.obj.metadata?.namespace === ns);
    if (!r) return problem(w, `request-rate query names HTTPRoute ${ns}/${name}, which is not defined`);
    const rule = r.obj.spec?.rules?.[Number(index)];
    if (!rule) return problem(w, `request-rate query names rule ${index} of HTTPRoute ${name}, which has no such rule`);
    backends = (rule.backendRefs ?? []).map((b) => b.name);
  } else if (ingress) {
    const i = find("Ingress", ingress[1]);
    if (!i) return problem(w, `request-rate query names Ingress ${ingress[1]}, which is not defined`);
    backends = (i.obj.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? []).map((p) => p.backend?.service?.name);
  } else {
    return problem(w, "a Prometheus trigger of an HTTP API must select one route: envoy_cluster_name=\"httproute/<ns>/<name>/rule/<n>\" or ingress=\"<name>\"");
  }
  if (!backends.some((b) => servicesOfTarget.has(b))) {
    problem(w, `request-rate query counts traffic for ${backends.join(", ") || "no backend"}, not for a Service of Deployment ${target.obj.metadata.name}`);
  }
}
for (const h of objects.filter((o) => o.obj.kind === "HTTPScaledObject")) {
  const name = h.obj.spec?.scaleTargetRef?.name;
  if (!find("Deployment", name)) problem(where(h), `scaleTargetRef ${name} is not defined`);
  else if (scaledTargets.has(name)) problem(where(h), `Deployment ${name} already has a ScaledObject`);
  scaledTargets.set(name, h);
}

for (const d of deployments) {
  const w = where(d);
  const name = d.obj.metadata.name;
  const ps = podSpec(d);
  const scaledByKeda = scaledTargets.has(name);
  if (scaledByKeda && d.obj.spec?.replicas !== undefined) {
    problem(w, "KEDA scales this Deployment: remove spec.replicas (KEDA's HPA owns it; every apply would reset it)");
  }
  if (fronted.has(name)) {
    // With KEDA, the minimum comes from the ScaledObject (minReplicaCount >= 2 is checked above).
    if (!scaledByKeda && (d.obj.spec?.replicas ?? 1) < 2) problem(w, "an HTTP API needs replicas >= 2");
    if (!pdbTargets.has(name)) problem(w, "an HTTP API needs a PodDisruptionBudget");
    if (!(ps.topologySpreadConstraints ?? []).some((t) => t.topologyKey === "kubernetes.io/hostname")) problem(w, "an HTTP API needs a topologySpreadConstraint across nodes");
    for (const c of ps.containers ?? []) {
      if (!c.readinessProbe || !c.livenessProbe) problem(`${w} container ${c.name}`, "an HTTP API needs readiness and liveness probes");
    }
  }
  if (!scaledTargets.has(name)) problem(w, "no ScaledObject scales it");
}

for (const rb of byKind("RoleBinding")) {
  if (rb.obj.roleRef?.kind === "Role" && !find("Role", rb.obj.roleRef.name)) problem(where(rb), `Role ${rb.obj.roleRef.name} is not defined`);
  for (const s of rb.obj.subjects ?? []) {
    if (s.kind === "ServiceAccount" && !find("ServiceAccount", s.name)) problem(where(rb), `ServiceAccount ${s.name} is not defined`);
  }
}
const canOnSecret = (sa, secretName, verb) =>
  byKind("RoleBinding").some((rb) => (rb.obj.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === sa)
    && (find("Role", rb.obj.roleRef?.name)?.obj.rules ?? []).some((rule) => (rule.resources ?? []).includes("secrets")
      && (rule.apiGroups ?? []).includes("") && (rule.verbs ?? []).some((v) => v === verb || v === "*")
      && (!rule.resourceNames || rule.resourceNames.includes(secretName))));
for (const r of byKind("Role")) {
  for (const rule of r.obj.rules ?? []) {
    if ((rule.resources ?? []).includes("secrets")) {
      for (const n of rule.resourceNames ?? []) if (!find("Secret", n)) problem(where(r), `resourceNames: Secret ${n} is not defined`);
      if (!rule.resourceNames) problem(where(r), "access to every Secret of the namespace: restrict it with resourceNames");
    }
  }
}

// ------------------------------------------------------------------------------------------------ 4. the app
const appDirs = { auth: "AuthFunctions", products: "ProductFunctions", orders: "OrderFunctions" };
const csFiles = (dir) => {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (["bin", "obj"].includes(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...csFiles(full));
    else if (entry.endsWith(".cs")) out.push(full);
  }
  return out;
};
// [Function("Name")], [Function(Name)] or [Function(Class.Name)] (string constants are resolved), and the trigger
// of the method it annotates.
function functionsOf(appDir) {
  const sources = [...csFiles(path.join(root, "functions", appDir)), ...csFiles(path.join(root, "shared"))]
    .map((file) => ({ file, text: readFileSync(file, "utf8") }));
  const constants = new Map(); // "Name" and "Class.Name" -> [values]
  for (const { text } of sources) {
    for (const m of text.matchAll(/\b(?:class|record|struct) (\w+)[^{;]*\{/g)) {
      const body = balanced(text, m.index + m[0].length - 1);
      for (const c of body.matchAll(/const string (\w+)\s*=\s*"([^"]*)"/g)) {
        for (const key of [c[1], `${m[1]}.${c[1]}`]) constants.set(key, [...(constants.get(key) ?? []), c[2]]);
      }
    }
  }
  const found = new Map();
  for (const { file, text } of sources) {
    const marks = [...text.matchAll(/\[Function\(\s*(?:"([^"]+)"|nameof\(([\w.]+)\)|([\w.]+))\s*\)\]/g)];
    marks.forEach((m, i) => {
      let name = m[1] ?? m[2]?.split(".").pop();
      if (m[3]) {
        const local = text.match(new RegExp(`const string ${m[3]}\\s*=\\s*"([^"]*)"`))?.[1];
        const values = local !== undefined ? [local] : [...new Set(constants.get(m[3]) ?? [])];
        if (values.length !== 1) {
          problem(path.relative(root, file), `cannot resolve the function name ${m[3]} to one string constant`);
          return;
        }
        name = values[0];
      }
      const rest = text.slice(m.index, marks[i + 1]?.index ?? m.index + 3000);
      const trigger = rest.match(/\[(\w+)Trigger\b/)?.[1] ?? "unknown";
      found.set(name, { trigger, file: path.relative(root, file) });
    });
  }
  return found;
}
const imageApp = (image) => {
  const repo = String(image ?? "").split("@")[0].replace(/:[^/:]+$/, "").split("/").pop().replace(/^shop-/, "");
  return appDirs[repo] ? repo : null;
};

const functionsByApp = new Map();
for (const d of deployments) {
  for (const c of podSpec(d).containers ?? []) {
    const app = imageApp(c.image);
    if (!app) continue;
    const env = containerEnv(d, c);
    const isFunctionsHost = !c.command && !c.args;
    const entry = functionsByApp.get(app) ?? { deployments: [] };
    functionsByApp.set(app, entry);
    if (!isFunctionsHost) continue;
    const list = Object.keys(env).filter((k) => /^AzureFunctionsJobHost__functions__\d+$/.test(k))
      .sort((a, b) => Number(a.split("__").pop()) - Number(b.split("__").pop())).map((k) => env[k].value);
    entry.deployments.push({ d, list: list.length ? list : null });

    // Function keys: kubernetes storage, writable through the Secret named in AzureWebJobsKubernetesSecretName.
    const w = `${where(d)} container ${c.name}`;
    if (!(c.ports ?? []).some((p) => p.name === "http" && p.containerPort === 80)) {
      problem(w, "the Functions host listens on port 80 (ASPNETCORE_URLS of the base image): declare containerPort 80 named http");
    }
    if (env.AzureWebJobsSecretStorageType?.value !== "kubernetes") problem(w, "AzureWebJobsSecretStorageType must be kubernetes");
    const secretRef = env.AzureWebJobsKubernetesSecretName?.value;
    const secretName = secretRef?.replace(/^secrets\//, "");
    if (!secretRef || !secretRef.startsWith("secrets/")) problem(w, "AzureWebJobsKubernetesSecretName must be secrets/<name>");
    else {
      const keys = secretData(secretName);
      if (!keys) problem(w, `function keys Secret ${secretName} is not defined`);
      else if (!keys["host.master"] || !keys["host.function.default"]) problem(w, `Secret ${secretName} needs host.master and host.function.default`);
      const sa = podSpec(d).serviceAccountName ?? "default";
      for (const verb of ["get", "patch"]) if (!canOnSecret(sa, secretName, verb)) problem(w, `ServiceAccount ${sa} may not ${verb} Secret ${secretName}`);
      if (podSpec(d).automountServiceAccountToken === false) problem(w, "the Functions host needs its service account token to reach its keys Secret");
    }
    for (const required of ["AzureWebJobsStorage", "DurableTaskHubName", "AzureFunctionsWebHost__hostid"]) {
      if (!env[required]?.value) problem(w, `${required} is not set`);
    }
  }
}
for (const [app, entry] of functionsByApp) {
  const all = functionsOf(appDirs[app]);
  if (all.size === 0) { problem(`functions/${appDirs[app]}`, "no [Function] found in the sources"); continue; }
  const owners = new Map([...all.keys()].map((f) => [f, []]));
  for (const { d, list } of entry.deployments) {
    for (const f of list ?? [...all.keys()]) {
      if (!all.has(f)) { problem(where(d), `AzureFunctionsJobHost__functions names ${f}, which is not a [Function] of ${appDirs[app]}`); continue; }
      owners.get(f).push(d.obj.metadata.name);
      const http = all.get(f).trigger === "Http";
      if (!PROBE_FUNCTIONS.has(f) && http && !fronted.has(d.obj.metadata.name)) problem(where(d), `HTTP function ${f} runs where no Service routes requests`);
      if (!http && fronted.has(d.obj.metadata.name) && entry.deployments.length > 1) problem(where(d), `${all.get(f).trigger} function ${f} runs in the HTTP API Deployment; move it to the worker`);
    }
  }
  for (const [f, where_] of owners) {
    if (where_.length === 0) problem(`functions/${appDirs[app]}`, `[Function("${f}")] (${all.get(f).file}) runs in no Deployment: add it to an AzureFunctionsJobHost__functions list`);
    if (where_.length > 1 && !PROBE_FUNCTIONS.has(f)) problem(`functions/${appDirs[app]}`, `[Function("${f}")] runs in ${where_.join(" and ")}: exactly one`);
  }
}

// Cross-secret consistency (keda/generate-secrets.sh output).
const orders = secretData("orders-secrets");
const products = secretData("products-secrets");
const productKeys = secretData("products-function-keys");
if (orders && productKeys && !Object.entries(productKeys).some(([k, v]) => k.startsWith("host.function.") && v === orders.Orders__ProductsFunctionKey)) {
  problem("orders-secrets", "Orders__ProductsFunctionKey is not a host key of products-function-keys");
}
if (orders && products && !Object.entries(products).some(([k, v]) => /^Internal__ApiKeys__\d+$/.test(k) && v === orders.Internal__OutgoingApiKey)) {
  problem("orders-secrets", "Internal__OutgoingApiKey is not one of the Internal__ApiKeys__N of products-secrets");
}

// ------------------------------------------------------------------------------------------------ 5. settings
const sections = new Map(); // section -> Set(property)
for (const file of [...csFiles(path.join(root, "functions")), ...csFiles(path.join(root, "shared"))]) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/\b(?:class|record|struct) (\w+)[^{;]*\{/g)) {
    const body = balanced(text, m.index + m[0].length - 1);
    const section = body.match(/const string Section = "([^"]+)"/)?.[1];
    if (!section) continue;
    const props = sections.get(section) ?? new Set();
    for (const p of body.matchAll(/public (?:required )?[\w<>,?.\[\] ]+? (\w+) \{ get;/g)) props.add(p[1]);
    sections.set(section, props);
  }
}
// Settings read by the Functions host, the image or the roles rather than by options classes.
const hostSettings = new Set(["AzureWebJobsStorage", "AzureWebJobsSecretStorageType", "AzureWebJobsKubernetesSecretName",
  "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_SECRETS_PATH", "DurableTaskHubName", "ORDERS_ROLE", "AZURE_FUNCTIONS_ENVIRONMENT",
  "AzureFunctionsJobHost", "AzureFunctionsWebHost", "FILE", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"]);
function checkSetting(name, at) {
  const [first, second] = name.split("__");
  if (hostSettings.has(first)) {
    if (first === "FILE") checkSetting(name.slice("FILE__".length), at);
    return;
  }
  if (!sections.has(first)) return problem(at, `setting ${name}: no options class has Section "${first}"`);
  if (second === undefined) return problem(at, `setting ${name}: a section, not a setting`);
  if (!sections.get(first).has(second)) return problem(at, `setting ${name}: ${first} has no property ${second} (known: ${[...sections.get(first)].sort().join(", ")})`);
}
const envSecrets = new Set(); // Secrets used as environment (envFrom)
const envConfigMaps = new Set();
for (const d of deployments) {
  for (const c of podSpec(d).containers ?? []) {
    for (const s of c.envFrom ?? []) {
      if (s.secretRef) envSecrets.add(s.secretRef.name);
      if (s.configMapRef) envConfigMaps.add(s.configMapRef.name);
    }
    for (const e of c.env ?? []) checkSetting(e.name, `${where(d)} env`);
  }
}
for (const o of objects) {
  if (o.obj.kind === "ConfigMap" && envConfigMaps.has(o.obj.metadata.name)) for (const k of Object.keys(o.obj.data ?? {})) checkSetting(k, where(o));
  if (o.obj.kind === "Secret" && envSecrets.has(o.obj.metadata.name)) for (const k of Object.keys(o.obj.data ?? {})) checkSetting(k, where(o));
}
let composeApps = 0;
if (composeFile) checkCompose(composeFile);

// docker-compose.yml beyond its schema (which `docker-compose config -q` checks): settings names, bind mounts,
// the names nginx and Prometheus use, healthchecks behind service_healthy, function keys and the seed data.
function checkCompose(file) {
  const at = path.relative(root, path.resolve(file));
  const base = path.dirname(path.resolve(file));
  const compose = YAML.parse(readFileSync(file, "utf8"), { merge: true });
  const services = compose.services ?? {};
  const envOf = (service) => (Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]))
    : service.environment ?? {});
  for (const [name, service] of Object.entries(services)) {
    const w = `${at} services.${name}`;
    if ((service.build?.dockerfile ?? "").startsWith("functions/")) {
      composeApps++;
      for (const k of Object.keys(envOf(service))) checkSetting(k, `${w}.environment`);
      if (!existsSync(path.join(base, service.build.context ?? ".", service.build.dockerfile))) problem(w, `${service.build.dockerfile} does not exist`);
    }
    for (const v of service.volumes ?? []) {
      const source = typeof v === "string" ? v.split(":")[0] : v.source;
      if (/^[./]/.test(source) && !existsSync(path.resolve(base, source))) problem(w, `bind mount ${source} does not exist`);
    }
    for (const [dep, cond] of Object.entries(Array.isArray(service.depends_on) ? {} : service.depends_on ?? {})) {
      if (!services[dep]) problem(w, `depends_on ${dep}: no such service`);
      else if (cond?.condition === "service_healthy" && !services[dep].healthcheck) problem(w, `depends_on ${dep} is service_healthy, but ${dep} has no healthcheck`);
    }
  }
  // nginx: every `set $x host:port` names a service; Prometheus: every DNS name and host:port target too.
  const nginxConf = path.join(root, "deploy/nginx/nginx.conf");
  if (existsSync(nginxConf)) {
    for (const m of readFileSync(nginxConf, "utf8").matchAll(/^\s*set \$\w+ ([\w.-]+):\d+;/gm)) {
      if (!services[m[1]]) problem("deploy/nginx/nginx.conf", `upstream ${m[1]} is not a compose service`);
    }
  }
  const promConf = path.join(root, "deploy/prometheus/prometheus.yml");
  if (existsSync(promConf)) {
    const prom = YAML.parse(readFileSync(promConf, "utf8"));
    for (const job of prom.scrape_configs ?? []) {
      const names = [...(job.dns_sd_configs ?? []).flatMap((c) => c.names ?? []),
        ...(job.static_configs ?? []).flatMap((c) => c.targets ?? []).map((t) => t.split(":")[0])];
      for (const n of names) if (n !== "localhost" && !services[n]) problem("deploy/prometheus/prometheus.yml", `job ${job.job_name}: ${n} is not a compose service`);
    }
  }
  // Function keys: each app's host.json parses, and Orders' key for Products is one of Products' host keys.
  const keys = {};
  for (const app of ["auth", "products", "orders"]) {
    const f = path.join(root, "deploy/compose/function-keys", `${app}.json`);
    try {
      keys[app] = JSON.parse(readFileSync(f, "utf8"));
      if (!keys[app].masterKey?.value || !(keys[app].functionKeys ?? []).some((k) => k.name === "default" && k.value)) {
        problem(path.relative(root, f), "needs masterKey.value and a functionKeys entry named default");
      }
    } catch (error) {
      problem(path.relative(root, f), error.message);
    }
  }
  const ordersKey = envOf(services.orders ?? {}).Orders__ProductsFunctionKey;
  if (keys.products && !(keys.products.functionKeys ?? []).some((k) => k.value === ordersKey)) {
    problem(`${at} services.orders`, "Orders__ProductsFunctionKey is not a function key in deploy/compose/function-keys/products.json");
  }
  // Seed data: the fields of deploy/compose/seed/products.js are the (camelCase) properties of Product.cs.
  const seed = path.join(root, "deploy/compose/seed/products.js");
  const record = path.join(root, "functions/ProductFunctions/Catalog/Product.cs");
  if (existsSync(seed) && existsSync(record)) {
    const recordText = readFileSync(record, "utf8");
    const body = balanced(recordText, recordText.indexOf("{", recordText.indexOf("record Product")));
    const camel = (n) => n[0].toLowerCase() + n.slice(1);
    const props = [...body.matchAll(/public (?:required )?[\w<>,?. ]+? (\w+) \{ get;/g)].map((m) => (m[1] === "Id" ? "_id" : camel(m[1])));
    const seedText = readFileSync(seed, "utf8");
    const onInsert = seedText.slice(seedText.indexOf("$setOnInsert"), seedText.indexOf("{ upsert"));
    const fields = new Set(["_id", ...[...onInsert.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]).filter((f) => f !== "$setOnInsert")]);
    for (const p of props) if (!fields.has(p)) problem("deploy/compose/seed/products.js", `Product.${p} is not seeded (functions/ProductFunctions/Catalog/Product.cs)`);
    for (const f of fields) if (!props.includes(f)) problem("deploy/compose/seed/products.js", `field ${f} is not a property of Product.cs`);
  }
}

// ------------------------------------------------------------------------------------------------ 4b. RabbitMQ topology
// keda/55-rabbitmq-topology.yaml declares the notification consumer's exchanges, queues and bindings at deploy time.
// They must be exactly what the code declares (a queue declared with other arguments makes RabbitMQ refuse the
// consumer's own declare with PRECONDITION_FAILED), and the ConfigMap must carry deploy/rabbitmq/ verbatim.
const topologyMap = find("ConfigMap", "rabbitmq-topology");
if (topologyMap) checkRabbitTopology(topologyMap);
function checkRabbitTopology(cm) {
  const w = where(cm);
  const read = (rel) => (existsSync(path.join(root, rel)) ? readFileSync(path.join(root, rel), "utf8") : null);
  for (const [key, rel] of [["topology.json", "deploy/rabbitmq/topology.json"], ["declare-topology.py", "deploy/rabbitmq/declare-topology.py"]]) {
    const original = read(rel);
    if (original === null) problem(w, `${rel} does not exist`);
    else if (cm.obj.data?.[key] !== original) problem(w, `data.${key} differs from ${rel} (copy it again)`);
  }
  const options = read("shared/Messaging/RabbitMqOptions.cs") ?? "";
  const connection = read("shared/Messaging/RabbitMqConnection.cs") ?? "";
  const role = read("functions/OrderFunctions/Notifications/NotificationsRole.cs") ?? "";
  const declare = (() => { const i = connection.indexOf("Task DeclareConsumerQueueAsync("); return i < 0 ? "" : balanced(connection, connection.indexOf("{", i)); })();
  const grab = (text, re, what) => {
    const m = text.match(re);
    if (!m) problem(w, `cannot read ${what} from the C# sources (changed? update checkRabbitTopology in scripts/validate-k8s.mjs)`);
    return m;
  };
  const exchange = grab(options, /public string Exchange \{ get; set; \} = "([^"]+)"/, "RabbitMqOptions.Exchange")?.[1];
  const dlxSuffix = grab(options, /DeadLetterExchange => Exchange \+ "([^"]+)"/, "RabbitMqOptions.DeadLetterExchange")?.[1];
  const deadSuffix = grab(options, /DeadLetterQueue\(string queue\) => queue \+ "([^"]+)"/, "RabbitMqOptions.DeadLetterQueue")?.[1];
  const queue = grab(role, /const string Queue = "([^"]+)"/, "NotificationsRole.Queue")?.[1];
  const bindings = grab(role, /Bindings = \[([^\]]*)\]/, "NotificationsRole.Bindings")?.[1].match(/"[^"]*"/g)?.map((b) => b.slice(1, -1)) ?? [];
  const ex = grab(declare, /ExchangeDeclareAsync\(_options\.DeadLetterExchange, ExchangeType\.(\w+), durable: (\w+), autoDelete: (\w+)/, "the dead-letter exchange declare");
  const main = grab(connection, /ExchangeDeclareAsync\(_options\.Exchange, ExchangeType\.(\w+), durable: (\w+), autoDelete: (\w+)/, "the events exchange declare");
  const deadQ = grab(declare, /QueueDeclareAsync\(deadLetterQueue, durable: (\w+), exclusive: false, autoDelete: (\w+), arguments: null/, "the dead-letter queue declare");
  const mainQ = grab(declare, /QueueDeclareAsync\(queue, durable: (\w+), exclusive: false, autoDelete: (\w+), arguments: arguments/, "the consumer queue declare");
  grab(declare, /QueueBindAsync\(deadLetterQueue, _options\.DeadLetterExchange, routingKey: queue,/, "the dead-letter binding");
  grab(declare, /QueueBindAsync\(queue, _options\.Exchange, pattern,/, "the consumer bindings");
  const args = [...declare.matchAll(/\["(x-[^"]+)"\] = ([\w.]+),/g)].map((m) => [m[1], m[2]]);
  if (![exchange, dlxSuffix, deadSuffix, queue, ex, main, deadQ, mainQ].every(Boolean)) return;
  const argValue = { "_options.DeadLetterExchange": exchange + dlxSuffix, queue };
  const expected = {
    exchanges: [
      { name: exchange, type: main[1].toLowerCase(), durable: main[2] === "true", auto_delete: main[3] === "true", internal: false, arguments: {} },
      { name: exchange + dlxSuffix, type: ex[1].toLowerCase(), durable: ex[2] === "true", auto_delete: ex[3] === "true", internal: false, arguments: {} },
    ],
    queues: [
      { name: queue + deadSuffix, durable: deadQ[1] === "true", auto_delete: deadQ[2] === "true", arguments: {} },
      { name: queue, durable: mainQ[1] === "true", auto_delete: mainQ[2] === "true", arguments: Object.fromEntries(args.map(([k, v]) => [k, argValue[v] ?? `?${v}`])) },
    ],
    bindings: [
      { source: exchange + dlxSuffix, destination: queue + deadSuffix, destination_type: "queue", routing_key: queue, arguments: {} },
      ...bindings.map((b) => ({ source: exchange, destination: queue, destination_type: "queue", routing_key: b, arguments: {} })),
    ],
  };
  let actual;
  try { actual = JSON.parse(cm.obj.data?.["topology.json"] ?? ""); } catch (error) { return problem(w, `topology.json: ${error.message}`); }
  const canonical = (v) => JSON.stringify(v, (k, x) => (isObject(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
  const byName = (list, key) => [...(list ?? [])].sort((a, b) => canonical(a[key] ?? a).localeCompare(canonical(b[key] ?? b)));
  for (const [kind, key] of [["exchanges", "name"], ["queues", "name"], ["bindings", null]]) {
    const a = byName(actual[kind], key).map(canonical);
    const e = byName(expected[kind], key).map(canonical);
    for (const item of a) if (!e.includes(item)) problem(w, `topology.json ${kind}: ${item} is not what the code declares`);
    for (const item of e) if (!a.includes(item)) problem(w, `topology.json ${kind}: the code declares ${item}, missing here`);
  }
}

// ------------------------------------------------------------------------------------------------ kustomization
if (kustomization) {
  const dir = path.dirname(kustomization.file);
  const listed = new Set(kustomization.obj.resources ?? []);
  for (const r of listed) if (!existsSync(path.join(dir, r))) problem(kustomization.file, `resource ${r} does not exist`);
  for (const f of files) {
    const rel = path.relative(dir, f);
    if (path.dirname(path.resolve(f)) === path.resolve(dir) && rel !== path.basename(kustomization.file) && !listed.has(rel)) {
      problem(kustomization.file, `${rel} is not listed in resources`);
    }
  }
}

// ------------------------------------------------------------------------------------------------ report
if (problems.length) {
  for (const p of problems) console.error(`validate-k8s: ${p}`);
  console.error(`validate-k8s: ${problems.length} problem(s)`);
  process.exit(1);
}
const counts = {};
for (const o of objects) counts[o.obj.kind] = (counts[o.obj.kind] ?? 0) + 1;
console.log(`validate-k8s: ${objects.length} objects OK (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")}); `
  + `${[...functionsByApp.keys()].length} apps' function lists and ${sections.size} settings sections checked`
  + (composeFile ? `, ${composeApps} compose app services` : "")
  + "; PodMonitor and HTTPScaledObject: shape checked by hand (no model)");
