#!/usr/bin/env bash
# Where the start-up time of `embedkeep scan` of a tiny page goes: `perf record` over many runs
# (one run is too short for enough samples), then the symbols with the most samples and the
# share of the samples under regex compilation.
#
#   cargo build --release
#   bench/perf_startup.sh target/release/embedkeep [RUNS]
set -euo pipefail
bin=${1:-target/release/embedkeep}
runs=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/tiny.html" <<'PAGE'
<!doctype html><html><head><title>tiny</title></head><body><p>One post:</p>
<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C8kQx2LtA1b/">
<a href="https://www.instagram.com/p/C8kQx2LtA1b/">A post shared by Harbour (@harbour)</a></blockquote>
</body></html>
PAGE
: > "$tmp/embedkeep.toml"
perf record -q -F 2000 --call-graph dwarf,16384 -o "$tmp/perf.data" -- \
  sh -c "for i in \$(seq $runs); do '$bin' --config '$tmp/embedkeep.toml' scan '$tmp/tiny.html' --json >/dev/null; done" \
  2>/dev/null
echo "== top symbols by self samples (embedkeep processes only; the shell loop left out)"
# The main thread is "embedkeep"; tokio's workers and blocking threads are "tokio-runtime-w".
comms=embedkeep,tokio-runtime-w
perf report -i "$tmp/perf.data" --stdio --no-children --comm "$comms" --sort dso,sym 2>/dev/null \
  > "$tmp/self.txt" || true
grep -E '^ +[0-9]' "$tmp/self.txt" | head -25 || true
echo "== where the time goes: share of embedkeep's samples with the frame on the stack (children)"
perf report -i "$tmp/perf.data" --stdio --children --comm "$comms" --sort sym -g none 2>/dev/null \
  > "$tmp/children.txt" || true
for frame in 'embedkeep::main' 'embedkeep::cli::setup::load_config' 'embedkeep::http::client::HttpClient::new' \
    'rustls_native_certs::load_native_certs' 'rustls_pki_types::pem' 'regex::regex::string::Regex::new' \
    'regex::builders::Builder::build' 'embedkeep::discover::discover' 'embedkeep::pipeline::scan::scan' \
    '_dl_start' '_dl_relocate_object'; do
  line=$(grep -F "$frame" "$tmp/children.txt" | head -1 | sed -E 's/^ +//' | cut -c1-150 || true)
  printf '%-45s %s\n' "$frame" "${line:-(not sampled)}"
done
echo "== the embedkeep functions under which regexes are compiled"
grep -E 'embedkeep::.*(LazyLock|OnceLock|Lazy|regex|pattern|REGEX|RE_)' "$tmp/children.txt" | head -12 | cut -c1-160 || true
