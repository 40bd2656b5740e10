#!/usr/bin/env bash
# Validates deploy/ offline, without a cluster:
#   1. renders deploy/base and every overlay with kustomize (kubectl's built-in one, else a
#      kustomize binary built once from the Go module proxy and cached);
#   2. checks every rendered object against the Kubernetes JSON schemas, strictly (unknown fields
#      are errors), for the oldest and the newest Kubernetes version supported — the schemas ship
#      inside kubernetes-validate (PyPI), installed once into a cached virtualenv;
#   3. checks that each Deployment gives its service every variable the service reads, and that
#      the service's own env loader accepts them (scripts/validate-deploy-env.ts).
# Overlays are rendered from a copy with a throwaway secrets.env (make-secrets.sh), so nothing is
# written into the work tree. Cache: $DEPLOY_TOOLS_DIR (default ~/.cache/instagram-deploy).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${DEPLOY_TOOLS_DIR:-$HOME/.cache/instagram-deploy}"
VALIDATE_VERSION=1.37.0
KUSTOMIZE_VERSION=v5.7.1
# The oldest Kubernetes still supported upstream when this was written, and the newest schemas shipped.
KUBERNETES_VERSIONS=(1.32.0 1.37.0)
export PATH="$ROOT/node_modules/.bin:$PATH"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python_tools() {
  local installed=""
  [[ -x "$TOOLS/venv/bin/pip" ]] && installed="$("$TOOLS/venv/bin/pip" show kubernetes-validate 2>/dev/null || true)"
  if [[ "$installed" != *$'\nVersion: '"$VALIDATE_VERSION"$'\n'* ]]; then
    echo "installing kubernetes-validate $VALIDATE_VERSION into $TOOLS/venv"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$VALIDATE_VERSION"
  fi
}

kustomize_build() {
  if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
    kubectl kustomize "$1"
    return
  fi
  if [[ ! -x "$TOOLS/bin/kustomize" ]]; then
    echo "building kustomize $KUSTOMIZE_VERSION from the Go module proxy into $TOOLS/bin" >&2
    GOBIN="$TOOLS/bin" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
  fi
  "$TOOLS/bin/kustomize" build "$1"
}

# kustomization.yaml lists every manifest beside it, and nothing it lists is missing.
check_resource_lists() {
  local dir listed present rc=0
  for dir in "$ROOT/deploy/base" "$ROOT"/deploy/overlays/*; do
    listed="$("$TOOLS/venv/bin/python" - "$dir/kustomization.yaml" <<'PY'
import sys, yaml
k = yaml.safe_load(open(sys.argv[1]))
files = [r for r in k.get("resources", []) if r.endswith(".yaml")]
files += [p["path"] for p in k.get("patches", []) if "path" in p]
print("\n".join(sorted(files)))
PY
)"
    present="$(cd "$dir" && ls -1 ./*.yaml | sed 's|^\./||' | grep -vx kustomization.yaml | sort)"
    if [[ "$listed" != "$present" ]]; then
      echo "$dir: kustomization.yaml lists"
      echo "$listed" | sed 's/^/    /'
      echo "  but the folder holds"
      echo "$present" | sed 's/^/    /'
      rc=1
    fi
  done
  return "$rc"
}

to_json() {
  "$TOOLS/venv/bin/python" -c '
import json, sys, yaml
json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d], open(sys.argv[2], "w"))' "$1" "$2"
}

validate_schemas() {
  local file="$1" version
  for version in "${KUBERNETES_VERSIONS[@]}"; do
    "$TOOLS/venv/bin/kubernetes-validate" --strict --quiet -k "$version" "$file" || return 1
  done
}

# The validator must refuse a wrong manifest, or its passes mean nothing.
negative_control() {
  cat >"$WORK/wrong.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wrong
spec:
  selector:
    matchLabels: { app: wrong }
  template:
    metadata:
      labels: { app: wrong }
    spec:
      containers:
        - name: wrong
          image: instagram-clone:local
          livenesProbe: { httpGet: { path: /healthz, port: 8080 } }
EOF
  if "$TOOLS/venv/bin/kubernetes-validate" --strict --quiet "$WORK/wrong.yaml" >/dev/null 2>&1; then
    echo "kubernetes-validate accepted a Deployment with a misspelt field: the check is not working"
    return 1
  fi
  echo "negative control: a misspelt field is refused"
}

main() {
  local rc=0 overlay name rendered
  mkdir -p "$TOOLS"
  python_tools
  check_resource_lists || rc=1
  negative_control || rc=1

  cp -r "$ROOT/deploy" "$WORK/deploy"
  echo "> deploy/base"
  kustomize_build "$WORK/deploy/base" >"$WORK/base.yaml"
  validate_schemas "$WORK/base.yaml" || rc=1
  echo "  $(grep -c '^kind:' "$WORK/base.yaml") objects, valid for Kubernetes ${KUBERNETES_VERSIONS[*]}"

  for overlay in "$WORK"/deploy/overlays/*; do
    name="deploy/overlays/$(basename "$overlay")"
    echo "> $name"
    if [[ -x "$overlay/make-secrets.sh" ]]; then
      DATABASE_URL=postgres://app:secret@instagram-db-rw:5432/app "$overlay/make-secrets.sh" --force >/dev/null
    fi
    rendered="$WORK/$(basename "$overlay").yaml"
    kustomize_build "$overlay" >"$rendered" || {
      rc=1
      continue
    }
    validate_schemas "$rendered" || rc=1
    echo "  $(grep -c '^kind:' "$rendered") objects, valid for Kubernetes ${KUBERNETES_VERSIONS[*]}"
    to_json "$rendered" "$rendered.json"
    (cd "$ROOT" && node --conditions=@instagram/source --import tsx scripts/validate-deploy-env.ts "$rendered.json") | sed 's/^/  /' || rc=1
  done
  if ((rc == 0)); then echo "deploy/: valid"; else echo "deploy/: INVALID"; fi
  return "$rc"
}

main "$@"
