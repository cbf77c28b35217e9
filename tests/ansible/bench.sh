#!/usr/bin/env bash
# Benchmark of the decision phase of the Gluster-node play (facts -> gdeploy.conf), through
# ansible-playbook, for inventories of 3 and of 30 hosts. Every host connects locally; the
# disk facts come from the Ansible fact cache, filled beforehand (bench/record-facts.yml)
# with the facts under bench/facts/ (hvp_free_disks output for two data nodes and an
# arbiter), so the discovery module is skipped (tag hvp_disk_discovery) and nothing reads
# or changes any disk.
# The layout supports 1 or 3 Gluster nodes: in every inventory the first 3 hosts form
# glusternodes and all hosts are ovirtnodes, as on a site with extra compute nodes.
# Prints, per inventory size, the median over HVP_BENCH_RUNS runs (default 5) of the time of
# each task and of each host, and the wall time of ansible-playbook. Figures only: no limits.
# Run from the repository root with .venv/bin first on PATH after `make modules`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

runs=${HVP_BENCH_RUNS:-5}
sizes=${HVP_BENCH_SIZES:-"3 30"}
bench=tests/ansible/bench
for module in hvp_free_disks hvp_gdeploy_config; do
    [[ -x library/$module ]] || { echo "library/$module is missing: run make modules" >&2; exit 1; }
done

work=$(mktemp -d /tmp/hvp-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python=$(python3 -c 'import sys; print(sys.executable)')

for n in $sizes; do
    dir=$work/$n
    mkdir -p "$dir/cache" "$dir/timings"
    {
        echo "all:"
        echo "  vars:"
        echo "    ansible_connection: local"
        echo "    ansible_python_interpreter: $python"
        echo "    hvp_manage_ssh_keys: false"
        echo "    hvp_run_gdeploy: false"
        echo "    hvp_gdeploy_config_path: $dir/gdeploy.conf"
        echo "  children:"
        echo "    glusternodes:"
        echo "      hosts:"
        for ((i = 0; i < 3 && i < n; i++)); do
            echo "        node$i.gluster.private:"
            echo "          hvp_bench_facts: $PWD/$bench/facts/node$i.json"
        done
        echo "    ovirtnodes:"
        echo "      hosts:"
        for ((i = 0; i < n; i++)); do echo "        node$i.mgmt.private:"; done
    } >"$dir/hosts.yml"
    export ANSIBLE_CACHE_PLUGIN=ansible.builtin.jsonfile ANSIBLE_CACHE_PLUGIN_CONNECTION="$dir/cache" \
        ANSIBLE_CACHE_PLUGIN_TIMEOUT=0
    ansible-playbook -i "$dir/hosts.yml" "$bench/record-facts.yml" >"$dir/record.log" 2>&1 \
        || { cat "$dir/record.log" >&2; exit 1; }

    for ((run = 1; run <= runs; run++)); do
        rm -f "$dir/gdeploy.conf"
        start=$(date +%s.%N)
        ANSIBLE_CALLBACK_PLUGINS="$bench/callback_plugins" \
        ANSIBLE_CALLBACKS_ENABLED=hvp_bench_timer \
        HVP_BENCH_TIMINGS="$dir/timings/$run.json" \
            ansible-playbook -i "$dir/hosts.yml" playbooks/glusternodes.yaml \
                --skip-tags hvp_disk_discovery >"$dir/run-$run.log" 2>&1 \
            || { cat "$dir/run-$run.log" >&2; exit 1; }
        end=$(date +%s.%N)
        python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['wall']=float(sys.argv[3])-float(sys.argv[2]); json.dump(d, open(sys.argv[1],'w'))" \
            "$dir/timings/$run.json" "$start" "$end"
    done
    [[ -s $dir/gdeploy.conf ]] || { echo "no gdeploy.conf written for $n hosts" >&2; exit 1; }

    python3 - "$n" "$dir/timings" <<'PY'
import json, pathlib, statistics, sys
n, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
runs = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
print(f"\n== {n} inventory hosts (3 Gluster nodes), median of {len(runs)} runs")
wall = statistics.median(r['wall'] for r in runs)
print(f"ansible-playbook wall time: {wall:.3f} s ({1000 * wall / n:.1f} ms per inventory host)")
print(f"{'seconds':>9} {'hosts':>5} {'ms/host':>8}  task")
for i, task in enumerate(runs[0]["tasks"]):
    secs = statistics.median(r["tasks"][i]["seconds"] for r in runs)
    hosts = task["hosts"]
    per_host = f"{1000 * secs / hosts:8.1f}" if hosts else f"{'-':>8}"
    print(f"{secs:9.4f} {hosts:5d} {per_host}  {task['task']}")
print(f"{'seconds':>9} {'tasks':>5}  host (sum of its task times; hosts outside glusternodes run no task)")
for host in runs[0]["hosts"]:
    secs = statistics.median(r["hosts"][host]["seconds"] for r in runs)
    print(f"{secs:9.4f} {runs[0]['hosts'][host]['tasks']:5d}  {host}")
PY
done
