// Checks the environment each Deployment of a rendered deploy/ overlay gives its service against
// that service's own env schema (the only reader of its environment):
//   - the service's loader accepts it (the values from the ConfigMap, the Secret and `env`);
//   - every variable the schema reads is set, or is left to its default on purpose (listed below);
//   - every variable set is one the service reads (a typo would otherwise be silently ignored);
//   - PORT is the container port, and the probes and the Service use that port.
// Usage: tsx scripts/validate-deploy-env.ts <rendered.json>  (a JSON array of the rendered objects)
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { authEnvSchema, loadAuthEnv } from "../packages/auth-service/src/env.ts";
import { commentEnvSchema, loadCommentEnv } from "../packages/comment-service/src/env.ts";
import { gatewayEnvSchema, loadGatewayEnv } from "../packages/gateway/src/env.ts";
import { imageEnvSchema, loadImageEnv } from "../packages/image-service/src/env.ts";
import { loadUserEnv, userEnvSchema } from "../packages/user-service/src/env.ts";

type Environment = Record<string, string | undefined>;

interface ServiceEnv {
  schema: z.ZodObject;
  load: (env: Environment) => unknown;
  /** Read by the service but deliberately not set in Kubernetes, with the reason. */
  defaulted: Record<string, string>;
  /** Must be set here although the schema has a default or makes it optional. */
  required: string[];
}

/** Left to their defaults in every service. */
const commonDefaults: Record<string, string> = {
  CONSUL_HTTP_ADDR: "discovery is cluster DNS (static mode)",
  KAFKA_NAMESPACE: "one stack per Kafka cluster",
  OTEL_EXPORTER_OTLP_ENDPOINT: "no collector assumed; set it to export traces",
  OTEL_SERVICE_NAME: "the service's own name",
  SERVICE_TOKEN_KEY_FILE: "the key is SERVICE_TOKEN_KEY, from the Secret",
  SERVICE_TOKEN_ACCEPTED_KEYS: "set only while a key rotation is in progress",
};
/** Left to their defaults in every service that consumes events. */
const consumerDefaults: Record<string, string> = {
  ...commonDefaults,
  INBOX_RETENTION_SECONDS: "7 days: longer than any redelivery or replay is late",
};
/**
 * Set in every Deployment: without them a service would run alone, on its own files (and, without
 * SERVICE_TOKEN_KEY, refuse to start: its peers are on other hosts).
 */
const commonRequired = ["HOST", "PORT", "KAFKA_BROKERS", "DATA_DIR", "SERVICE_TOKEN_KEY"];
const withDatabase = [...commonRequired, "DATABASE_URL"];

const services: Record<string, ServiceEnv> = {
  gateway: {
    schema: gatewayEnvSchema,
    load: loadGatewayEnv,
    defaulted: {
      ...commonDefaults,
      DATABASE_URL: "the gateway has no database",
      METRICS_TOKEN: "metrics are served on METRICS_PORT, inside the cluster only",
      HTTP_HEADERS_TIMEOUT_MS: "the kit's edge defaults (10 s) suit the Ingress in front",
      HTTP_REQUEST_TIMEOUT_MS: "the kit's edge defaults (300 s: large uploads on slow links)",
      HTTP_BODY_IDLE_TIMEOUT_MS: "the kit's edge defaults (30 s)",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "the kit's edge defaults (5 s)",
    },
    required: [...commonRequired, "TRUSTED_PROXY"],
  },
  "auth-service": {
    schema: authEnvSchema,
    load: loadAuthEnv,
    defaulted: commonDefaults,
    // Without it each replica would sign with a key of its own.
    required: [...withDatabase, "JWT_PRIVATE_KEY"],
  },
  "user-service": {
    schema: userEnvSchema,
    load: loadUserEnv,
    defaulted: consumerDefaults,
    required: withDatabase,
  },
  "image-service": {
    schema: imageEnvSchema,
    load: loadImageEnv,
    defaulted: { ...consumerDefaults, BLOB_DIR: "image files are in the object store (BLOB_STORE=s3)" },
    required: [
      ...withDatabase,
      "BLOB_STORE",
      "S3_ENDPOINT",
      "S3_BUCKET",
      "S3_ACCESS_KEY_ID",
      "S3_SECRET_ACCESS_KEY",
    ],
  },
  "comment-service": {
    schema: commentEnvSchema,
    load: loadCommentEnv,
    defaulted: consumerDefaults,
    required: withDatabase,
  },
};

interface KubeObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: unknown;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}

interface DeploymentSpec {
  template: { spec: { containers: Container[] } };
}

interface ServiceSpec {
  selector?: Record<string, string>;
  ports: { port: number; targetPort?: string | number }[];
}

const objects = JSON.parse(readFileSync(process.argv[2] ?? "/dev/stdin", "utf8")) as KubeObject[];
const problems: string[] = [];

function find(kind: string, name: string): KubeObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** A ConfigMap's or Secret's values as the container would see them. */
function valuesOf(kind: "ConfigMap" | "Secret", name: string, where: string): Record<string, string> {
  const object = find(kind, name);
  if (!object) {
    problems.push(`${where}: ${kind} ${name} is not in the rendered manifests`);
    return {};
  }
  const values: Record<string, string> = { ...(object.stringData ?? {}) };
  for (const [key, value] of Object.entries(object.data ?? {})) {
    values[key] = kind === "Secret" ? Buffer.from(value, "base64").toString("utf8") : value;
  }
  return values;
}

/** What the downward API would give: a stand-in of the right shape. */
const fieldValues: Record<string, string> = {
  "status.podIP": "10.0.0.10",
  "metadata.name": "pod-0",
  "metadata.namespace": "instagram",
};

function environmentOf(container: Container, where: string): Environment {
  const env: Environment = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, valuesOf("ConfigMap", source.configMapRef.name, where));
    if (source.secretRef) Object.assign(env, valuesOf("Secret", source.secretRef.name, where));
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.configMapKeyRef) {
      env[variable.name] = valuesOf("ConfigMap", from.configMapKeyRef.name, where)[from.configMapKeyRef.key];
    } else if (from?.secretKeyRef) {
      env[variable.name] = valuesOf("Secret", from.secretKeyRef.name, where)[from.secretKeyRef.key];
    } else if (from?.fieldRef) env[variable.name] = fieldValues[from.fieldRef.fieldPath];
    if (env[variable.name] === undefined) problems.push(`${where}: ${variable.name} resolves to nothing`);
  }
  return env;
}

function checkPorts(name: string, container: Container, env: Environment): void {
  const where = `Deployment ${name}`;
  const port = container.ports?.[0];
  if (!port) {
    problems.push(`${where}: no container port`);
    return;
  }
  if (env.PORT !== String(port.containerPort)) {
    problems.push(`${where}: PORT is ${env.PORT}, the container port ${port.containerPort}`);
  }
  const expected: [string, Probe | undefined, string][] = [
    ["startupProbe", container.startupProbe, "/healthz"],
    ["livenessProbe", container.livenessProbe, "/healthz"],
    ["readinessProbe", container.readinessProbe, "/readyz"],
  ];
  for (const [probeName, probe, path] of expected) {
    const get = probe?.httpGet;
    if (get?.path !== path) problems.push(`${where}: ${probeName} must GET ${path}`);
    else if (get.port !== port.name && get.port !== port.containerPort) {
      problems.push(`${where}: ${probeName} probes port ${get.port}, not the service's`);
    }
  }
  const service = find("Service", name)?.spec as ServiceSpec | undefined;
  const servicePort = service?.ports[0];
  if (!servicePort) problems.push(`Service ${name}: missing`);
  else if (servicePort.port !== port.containerPort) {
    // *_SERVICE_URL names the Service's port, and a headless Service's DNS answers are pod addresses.
    problems.push(`Service ${name}: port ${servicePort.port}, the container's ${port.containerPort}`);
  }
}

for (const [name, expected] of Object.entries(services)) {
  const deployment = find("Deployment", name);
  if (!deployment) {
    problems.push(`Deployment ${name}: missing`);
    continue;
  }
  const where = `Deployment ${name}`;
  const container = (deployment.spec as DeploymentSpec).template.spec.containers[0];
  if (!container) {
    problems.push(`${where}: no container`);
    continue;
  }
  const env = environmentOf(container, where);
  const read = new Set(Object.keys(expected.schema.shape));
  const set = new Set(Object.keys(env));
  for (const variable of set) {
    if (!read.has(variable)) problems.push(`${where}: sets ${variable}, which ${name} does not read`);
  }
  for (const variable of read) {
    if (!set.has(variable) && !(variable in expected.defaulted)) {
      problems.push(`${where}: ${name} reads ${variable}: set it, or list it as left to its default`);
    }
  }
  for (const variable of expected.required) {
    if (!env[variable]) problems.push(`${where}: ${variable} must be set here`);
  }
  for (const variable of Object.keys(expected.defaulted)) {
    if (set.has(variable)) problems.push(`${where}: ${variable} is set, but listed as left to its default`);
  }
  try {
    expected.load(env);
  } catch (error) {
    problems.push(
      `${where}: ${name} refuses its environment: ${error instanceof Error ? error.message : error}`,
    );
  }
  checkPorts(name, container, env);
  console.log(`${name}: ${set.size} variables set, ${read.size} read`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`  ${problem}`);
  console.error(`${problems.length} problem(s) in the services' environments`);
  process.exit(1);
}
console.log("every variable each service reads is set (or deliberately left to its default), and loads");
