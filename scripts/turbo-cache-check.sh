#!/usr/bin/env bash
# turbo.json's inputs, checked from task hashes (`turbo run --dry=json`, nothing runs):
#   - a compiler option changed in tsconfig.base.json changes every package's build hash;
#   - a file added to packages/kit changes the test hash of a package that imports kit (transit),
#     and not that of one that does not (contracts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH" TURBO_TELEMETRY_DISABLED=1
probe="packages/kit/turbo-cache-probe.txt"
saved="$(mktemp)"
cp tsconfig.base.json "$saved"
restore() {
  cp "$saved" tsconfig.base.json
  rm -f "$probe" "$saved"
}
trap restore EXIT

# task id → hash, for the tasks of one dry run
hashes() {
  turbo run "$@" --dry=json | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      for (const task of JSON.parse(text).tasks) console.log(`${task.taskId} ${task.hash}`);
    });'
}
hash_of() { awk -v id="$1" '$1 == id { print $2 }' <<<"$2"; }
failed=0
check() { # description, expected (same|different), before, after
  local verdict=same
  [[ "$3" == "$4" ]] || verdict=different
  if [[ "$verdict" == "$2" ]]; then echo "  ok: $1 ($verdict hash)"; else echo "  FAILED: $1: $verdict hash, expected $2"; failed=1; fi
}

before="$(hashes build test)"
sed -i 's/"noImplicitOverride": true/"noImplicitOverride": false/' tsconfig.base.json
grep -q '"noImplicitOverride": false' tsconfig.base.json || { echo "tsconfig.base.json: noImplicitOverride not found"; exit 1; }
after="$(hashes build test)"
cp "$saved" tsconfig.base.json
for pkg in contracts kit gateway; do
  check "tsconfig.base.json changed → @instagram/$pkg#build" different \
    "$(hash_of "@instagram/$pkg#build" "$before")" "$(hash_of "@instagram/$pkg#build" "$after")"
done

echo "probe $RANDOM" >"$probe"
after="$(hashes build test)"
rm -f "$probe"
check "a file added to kit → @instagram/user-service#test" different \
  "$(hash_of "@instagram/user-service#test" "$before")" "$(hash_of "@instagram/user-service#test" "$after")"
check "a file added to kit → @instagram/contracts#test" same \
  "$(hash_of "@instagram/contracts#test" "$before")" "$(hash_of "@instagram/contracts#test" "$after")"
check "a file added to kit → @instagram/kit#build" different \
  "$(hash_of "@instagram/kit#build" "$before")" "$(hash_of "@instagram/kit#build" "$after")"
((failed == 0)) && echo "turbo cache inputs: ok" || exit 1
